# Screening of input from the public, and reports without signing in.
screening-title = Screening of input from the public
screening-explain = When screening is on, input from anyone other than planners, municipal staff and members of the plan's groups is not shown until a planner has checked it for personal data about others and published it.
screening-state-on = Screening is on.
screening-state-off = Screening is off: input is shown at once.
screening-turn-on = Turn screening on
screening-turn-off = Turn screening off
screening-done-on = Screening of input from the public is on.
screening-done-off = Screening of input from the public is off.
screening-queue-title = Input awaiting screening
screening-queue-none = No input is awaiting screening.
screening-publish = Publish
screening-status-waiting = Awaiting screening
screening-posted = Thank you! Your input is saved. The municipality checks input before it is shown, and it will appear here once published.
screening-own-heading = Your input awaiting screening
screening-form-note = The municipality checks input from the public for personal data about others before it is shown.
screening-confirmed = Thank you! Your email address is confirmed. The municipality checks your input before it is shown.
screening-report-limited = Many reports have been sent from this address lately. Please try again later.
moderation-action-published = Published after screening
moderation-done-published = The input is published.

# Personal-data flags on input waiting for screening (suggestions; the planner decides).
screening-personal-data = { $count ->
    [one] One piece of text is marked because it may be personal data. Check it before you publish the input.
   *[other] { $count } pieces of text are marked because they may be personal data. Check them before you publish the input.
}
personal-data-national-id = national identity number
personal-data-phone = phone number
personal-data-email = email address
personal-data-address = address
personal-data-special-category = may reveal health, belief, ethnicity or another special category
screening-redact-legend = Redact the ticked parts in what is published (the original stays in the case file)
screening-error-redaction = The parts to redact must lie within the text.
