"""Referral codes: one advocate, or many at once (docs/vendors/talon.md §5.15)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from sandbox.talon.campaigns import CampaignSpec
from sandbox.talon.codes import CodeSpaceExhaustedError, generate_code
from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.entities import Referral
from sandbox.talon.errors import bad_request
from sandbox.talon.models import NewReferral, NewReferralsForMultipleAdvocates
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.routes_profiles import check_silent
from sandbox.talon.routing import TalonRoute
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import referral_json

router = APIRouter(route_class=TalonRoute, tags=["referrals"])

#: the spec's minLength of a referral code (the official SDKs refuse shorter codes)
MIN_CODE_LENGTH = 4


def referral_campaign(ctx: TalonContext, app: AppData, campaign_id: int) -> CampaignSpec | None:
    campaign = app.campaign(campaign_id)
    if not ctx.options.check_referral_campaign:
        return campaign
    if campaign is None:
        raise bad_request(
            "Not found", f"Campaign {campaign_id} does not exist.", pointer="/campaignId"
        )
    if "referrals" not in campaign.features:
        raise bad_request(
            "Invalid value",
            f"Campaign {campaign_id} does not have the referrals feature.",
            pointer="/campaignId",
        )
    return campaign


def _new_referral(
    tx: Tx,
    campaign_id: int,
    advocate: str,
    code: str,
    *,
    usage_limit: int,
    start: datetime | None,
    expiry: datetime | None,
    friend: str | None,
    attributes: dict[str, Any] | None,
    batch_id: str | None = None,
) -> Referral:
    referral = Referral(
        id=tx.new_id("referral"),
        created=tx.now,
        campaign_id=campaign_id,
        advocate_profile_integration_id=advocate,
        code=code,
        usage_limit=usage_limit,
        start_date=start,
        expiry_date=expiry,
        friend_profile_integration_id=friend,
        attributes=attributes or {},
        batch_id=batch_id,
    )
    tx.put_referral(referral)
    return referral


@router.post(
    "/v1/referrals",
    operation_id="createReferral",
    summary="Create referral code for an advocate",
    status_code=201,
)
async def create_referral(
    body: NewReferral,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    campaign = referral_campaign(ctx, app, body.campaignId)
    settings = campaign.referralSettings if campaign else None
    tx = Tx(ctx.store, app, dry=False)
    code = generate_code(
        app.rng,
        settings.couponPattern if settings else None,
        settings.validCharacters if settings else None,
        taken=lambda c: tx.referral(c) is not None,
    )
    limit = (
        body.usageLimit if body.usageLimit is not None else ctx.options.default_referral_usage_limit
    )
    referral = _new_referral(
        tx,
        body.campaignId,
        body.advocateProfileIntegrationId,
        code,
        usage_limit=limit,
        start=body.startDate,
        expiry=body.expiryDate,
        friend=body.friendProfileIntegrationId,
        attributes=body.attributes,
    )
    tx.commit()
    return JSONResponse(referral_json(referral), status_code=201)


@router.post(
    "/v1/referrals_for_multiple_advocates",
    operation_id="createReferralsForMultipleAdvocates",
    summary="Create referral codes for multiple advocates",
    status_code=201,
)
async def create_referrals_for_multiple_advocates(
    body: NewReferralsForMultipleAdvocates,
    silent: str = "yes",
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    quiet = check_silent(silent)
    campaign = referral_campaign(ctx, app, body.campaignId)
    settings = campaign.referralSettings if campaign else None
    pattern = body.referralPattern or (settings.couponPattern if settings else None)
    pattern = _long_enough(pattern, ctx.options)
    chars = body.validCharacters or (settings.validCharacters if settings else None)
    if pattern is not None and "#" not in pattern and len(body.advocateProfileIntegrationIds) > 1:
        raise bad_request(
            "Invalid value",
            "referralPattern needs at least one '#' to make unique codes.",
            pointer="/referralPattern",
        )
    tx = Tx(ctx.store, app, dry=False)
    batch_id = f"batch-{tx.new_id('referral_batch')}"
    created = []
    for advocate in body.advocateProfileIntegrationIds:
        try:
            code = generate_code(
                app.rng, pattern, chars, taken=lambda c: tx.referral(c) is not None
            )
        except CodeSpaceExhaustedError:
            raise bad_request(
                "Invalid value",
                "The referral pattern cannot produce enough unique codes.",
                pointer="/referralPattern",
            ) from None
        created.append(
            _new_referral(
                tx,
                body.campaignId,
                advocate,
                code,
                usage_limit=body.usageLimit,
                start=body.startDate,
                expiry=body.expiryDate,
                friend=None,
                attributes=body.attributes,
                batch_id=batch_id,
            )
        )
    tx.commit()
    if quiet:
        return Response(status_code=204)
    data = [referral_json(r) for r in created]
    return JSONResponse({"totalResultSize": len(data), "data": data}, status_code=201)


def _long_enough(pattern: str | None, options: TalonSandboxOptions) -> str | None:
    """A referral code has at least ``MIN_CODE_LENGTH`` characters (the spec's minLength; the
    official SDKs refuse shorter ones): refuse a shorter pattern, or pad it with ``#``."""
    if pattern is None or len(pattern) >= MIN_CODE_LENGTH:
        return pattern
    if options.short_referral_codes == "pad":
        return pattern + "#" * (MIN_CODE_LENGTH - len(pattern))
    raise bad_request(
        "minLength",
        f"referralPattern makes codes of {len(pattern)} characters; a referral code has at "
        f"least {MIN_CODE_LENGTH}.",
        pointer="/referralPattern",
    )
