"""Reads of the supervision register, every one scoped through `units.queries.scoped`;
by concern, re-exported here: callers say `queries.get_person`."""

from giamsat.supervision.queries.boards import (
    boards_of_unit,
    get_board,
    get_board_member,
    list_boards_query,
)
from giamsat.supervision.queries.common import (
    fold,
)
from giamsat.supervision.queries.concerned import (
    LinkedPerson,
    Proposal,
    cases_of_person,
    cases_of_person_query,
    concerned_names,
    linked_people,
    propose_people,
)
from giamsat.supervision.queries.overview import (
    MAX_CASES_IN_OVERVIEW,
    PersonOverview,
    person_overview,
)
from giamsat.supervision.queries.people import (
    existing_keys,
    find_duplicate_person,
    get_assignment,
    get_person,
    list_assignments,
    list_assignments_query,
    list_people,
    list_people_query,
)
from giamsat.supervision.queries.work import (
    ACTIVITY_LIST_LOADING,
    get_activity,
    get_comment,
    get_commitment,
    get_dialogue,
    get_dialogue_issue,
    get_plan,
    get_recommendation,
    list_activities_query,
    list_comments_query,
    list_commitments_query,
    list_dialogues_query,
    list_plans_query,
    list_recommendations_query,
    list_reminders,
    overdue_clause,
)
from giamsat.units.queries import scoped

__all__ = [
    "ACTIVITY_LIST_LOADING",
    "MAX_CASES_IN_OVERVIEW",
    "LinkedPerson",
    "PersonOverview",
    "Proposal",
    "cases_of_person",
    "cases_of_person_query",
    "concerned_names",
    "linked_people",
    "propose_people",
    "boards_of_unit",
    "existing_keys",
    "find_duplicate_person",
    "fold",
    "get_activity",
    "get_assignment",
    "get_comment",
    "get_board",
    "get_board_member",
    "get_commitment",
    "get_dialogue",
    "get_dialogue_issue",
    "get_person",
    "get_plan",
    "get_recommendation",
    "list_activities_query",
    "list_assignments",
    "list_assignments_query",
    "list_boards_query",
    "list_comments_query",
    "list_commitments_query",
    "list_dialogues_query",
    "list_people",
    "list_people_query",
    "list_plans_query",
    "list_recommendations_query",
    "list_reminders",
    "overdue_clause",
    "person_overview",
    "scoped",
]
