"""The demo: the gateway composed with the vendor sandboxes (``make run``). It sits above
both and is the only code that imports the two together; the production image carries
neither it nor the sandboxes."""
