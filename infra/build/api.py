"""The service's HTTP API (one per service, throttled, access-logged) and Function URLs."""

from __future__ import annotations

import jsii
from aws_cdk import CfnOutput, Fn
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk.aws_apigatewayv2_authorizers import HttpJwtAuthorizer
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration

from infra.build.context import BuildContext
from infra.nag import suppress
from infra.naming import pascal
from services.common.wiring import Function, FunctionUrlTrigger, HttpApiTrigger

HTTP_API_RATE_LIMIT = 50  # requests per second, steady state
HTTP_API_BURST_LIMIT = 100


@jsii.implements(apigw.IAccessLogSettings)
class AccessLogs:
    """HTTP API access logs in a log group, in API Gateway's default (CLF) format."""

    def __init__(self, destination: apigw.IAccessLogDestination) -> None:
        self._destination = destination

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat | None:
        return None


def routes(ctx: BuildContext, fn: Function, trigger: HttpApiTrigger) -> None:
    api = _http_api(ctx)
    integration = HttpLambdaIntegration(f"{pascal(fn.name)}Integration", ctx.out.functions[fn.name])
    authorizer = _jwt_authorizer(ctx, fn, trigger)
    for route in trigger.routes:
        api.add_routes(
            path=route.path,
            methods=[apigw.HttpMethod(route.method.upper())],
            integration=integration,
            authorizer=authorizer,
        )
    _throttle_routes(ctx, trigger)
    if authorizer is None:
        suppress(
            api,
            "APIG4",
            "The routes are public by design: callers need no sign-in; the handler "
            "validates every request and the stage is throttled.",
        )


def _jwt_authorizer(
    ctx: BuildContext, fn: Function, trigger: HttpApiTrigger
) -> HttpJwtAuthorizer | None:
    """API Gateway checks the token (issuer, audience, expiry, signature) before the
    function runs; the function reads the claims (payload 2.0 ``authorizer.jwt``)."""
    if trigger.authorizer is None:
        return None
    pool = ctx.out.user_pools[trigger.authorizer.user_pool]
    client = pool.clients[trigger.authorizer.client]
    return HttpJwtAuthorizer(
        f"{pascal(fn.name)}{pascal(trigger.authorizer.user_pool)}Authorizer",
        pool.issuer,
        jwt_audience=[client.user_pool_client_id],
        identity_source=["$request.header.Authorization"],
    )


def _throttle_routes(ctx: BuildContext, trigger: HttpApiTrigger) -> None:
    """Per-route limits from the wiring, on top of the stage's default (CDK's HttpStage has
    no route settings: they go on its CloudFormation resource)."""
    assert ctx.out.http_stage is not None
    stage = ctx.out.http_stage.node.default_child
    assert isinstance(stage, apigw.CfnStage)
    settings = dict(stage.route_settings or {})
    for route in trigger.routes:
        if route.throttle is not None:
            settings[route.key] = {
                "ThrottlingRateLimit": route.throttle.rate_limit,
                "ThrottlingBurstLimit": route.throttle.burst_limit,
            }
    stage.route_settings = settings or None


def function_url(ctx: BuildContext, fn: Function) -> None:
    url = ctx.out.functions[fn.name].add_function_url(auth_type=lambda_.FunctionUrlAuthType.NONE)
    ctx.out.function_urls[fn.name] = url
    CfnOutput(ctx.stack, f"{pascal(fn.name)}FunctionUrl", value=url.url)


def share_function_urls(ctx: BuildContext) -> None:
    """Hand each Function URL to the service's other functions (never to its owner,
    whose environment cannot depend on its own URL)."""
    for fn in ctx.wiring.functions:
        trigger = fn.trigger
        if not (isinstance(trigger, FunctionUrlTrigger) and trigger.env_var):
            continue
        url = ctx.out.function_urls[fn.name].url
        # "https://<id>.lambda-url.<region>.on.aws/" without the trailing slash.
        base = Fn.join("", ["https://", Fn.select(2, Fn.split("/", url))])
        ctx.out.environment[trigger.env_var] = base
        for other in ctx.wiring.functions:
            if other.name != fn.name:
                ctx.out.functions[other.name].add_environment(trigger.env_var, base)


def _http_api(ctx: BuildContext) -> apigw.HttpApi:
    if ctx.out.http_api is not None:
        return ctx.out.http_api
    api = apigw.HttpApi(
        ctx.scope,
        "HttpApi",
        api_name=f"shop-{ctx.config.stage}-{ctx.wiring.name}",
        create_default_stage=False,
    )
    stage = apigw.HttpStage(
        ctx.scope,
        "HttpApiStage",
        http_api=api,
        stage_name="$default",
        auto_deploy=True,
        throttle=apigw.ThrottleSettings(
            rate_limit=HTTP_API_RATE_LIMIT, burst_limit=HTTP_API_BURST_LIMIT
        ),
        access_log_settings=AccessLogs(
            apigw.LogGroupLogDestination(ctx.log_group("HttpApiAccessLogs"))
        ),
    )
    CfnOutput(ctx.stack, "HttpApiUrl", value=stage.url)
    ctx.out.http_api, ctx.out.http_stage = api, stage
    return api
