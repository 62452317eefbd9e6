"""Customer Graph: a GraphQL gateway over the Tallymarks, Omnidesk and Talon.One APIs."""
