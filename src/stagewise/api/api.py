"""The API (ADR 0051): django-ninja, its OpenAPI document at /api/openapi.json."""

from ninja import NinjaAPI

from stagewise.api.authentication import TokenAuthentication
from stagewise.api.endpoints import router
from stagewise.api.errors import install_error_handlers
from stagewise.api.service_endpoints import router as service_router

api = NinjaAPI(
    title="Stagewise API",
    version="1",
    description=(
        "Learners, needs, stages, plans, requests for assistance, outcome records and summary"
        " measures, for an organisation's integration. A token sees exactly what its"
        " integration's role at its organisation would see. See docs/howto/api.md."
    ),
    auth=TokenAuthentication(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    # The interactive page loads its script from a CDN, which the content security policy
    # refuses; the document itself is what integrations read.
    docs_url=None,
)
api.add_router("/", router)
api.add_router("/", service_router)
install_error_handlers(api)
