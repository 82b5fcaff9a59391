"""The column mapping Stagewise ships (ADR 0052): a generic census-style pupil export, one line a
pupil, with one contact and one class teacher. docs/howto/roll-imports.md lists the same columns,
and a test checks its example file imports."""

GENERIC_CENSUS_EXPORT = {
    "name": "Generic census export",
    "description": (
        "One line per pupil, as a school information system's census export: candidate "
        "number (SCN or UPN), names, date of birth, sex, year group, the school's reference "
        "number, the date the pupil started, one contact and one class teacher."
    ),
    "columns": {
        "candidate_number": "Candidate Number",
        "legal_first_name": "Legal Forename",
        "legal_last_name": "Legal Surname",
        "preferred_name": "Preferred Forename",
        "date_of_birth": "Date of Birth",
        "sex": "Sex",
        "year_group": "Year Group",
        "school_reference": "School Reference",
        "enrolled_on": "Date of Entry",
        "carer_name": "Contact Name",
        "carer_relationship": "Contact Relationship",
        "carer_email": "Contact Email",
        "carer_telephone": "Contact Telephone",
        "class_teacher_email": "Class Teacher Email",
    },
    "date_order": "day_first",
    "sex_codes": {"F": "female", "M": "male"},
    "relationship_codes": {
        "MUM": "mother",
        "DAD": "father",
        "PAR": "parent",
        "STP": "step_parent",
        "GRP": "grandparent",
        "FOS": "foster_carer",
        "KIN": "kinship_carer",
        "OTH": "other",
    },
}
