# Hearing deadline: warnings and errors from domain::deadline.
# Variables: $suggested is a preformatted date, $weeks is a number of weeks.

deadline-warning-moved_from_non_working_day =
    The deadline fell on a weekend or public holiday, so it has been moved to the next working day.
deadline-warning-overlaps_easter =
    The hearing period covers Easter (Maundy Thursday to Easter Monday), when many people are away. Consider moving the deadline to { $suggested }.
deadline-warning-overlaps_summer =
    The hearing period covers the July summer holiday, when many people are away. Consider moving the deadline to { $suggested }.
deadline-warning-overlaps_christmas =
    The hearing period covers Christmas (24 December to 1 January), when many people are away. Consider moving the deadline to { $suggested }.
deadline-warning-short_period_overridden =
    The hearing period is shorter than six weeks. Your reason has been saved.
deadline-error-weeks_out_of_range =
    The hearing period must be between 1 and 52 weeks. You chose { $weeks } { $weeks ->
        [one] week
       *[other] weeks
    }.
deadline-error-too_short_for_pbl =
    A hearing under the Planning and Building Act must last at least six weeks (pbl § 4-1 and § 11-14). You chose { $weeks } { $weeks ->
        [one] week
       *[other] weeks
    }. To use a shorter period anyway, you must write a reason.
deadline-error-deadline_before_opening = The deadline must be after the opening day.
