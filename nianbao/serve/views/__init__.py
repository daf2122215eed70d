"""One module per page: each holds an ``APIRouter`` named ``router``."""
