"""REST resources of the supervision register, one module per resource: people (with XLSX
import/export), assignments, plans, activities, recommendations, dialogues and their
commitments."""

from __future__ import annotations

from giamsat.supervision.api.activities import activities_blp
from giamsat.supervision.api.assignments import assignments_blp
from giamsat.supervision.api.boards import boards_blp
from giamsat.supervision.api.concerned import case_people_blp
from giamsat.supervision.api.dialogues import commitments_blp, dialogues_blp
from giamsat.supervision.api.people import people_blp
from giamsat.supervision.api.plans import plans_blp
from giamsat.supervision.api.recommendations import recommendations_blp
from giamsat.supervision.channels import api as channels_api

#: In the order the API documentation lists them.
BLUEPRINTS = (
    people_blp,
    assignments_blp,
    plans_blp,
    activities_blp,
    recommendations_blp,
    dialogues_blp,
    commitments_blp,
    *channels_api.BLUEPRINTS,
    case_people_blp,
    boards_blp,
)
