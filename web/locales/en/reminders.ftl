# Deadline reminders, and the outbox for administrators.
email-reminder-subject = Reminder: deadline for “{ $hearing }”
email-reminder-body-organisation = { $organisation } is invited to respond to the hearing “{ $hearing }” ({ $plan }), and we have not had your response yet. The deadline is { $deadline }, { $days ->
    [0] which is today
    [one] which is tomorrow
   *[other] in { $days } days
}.
email-reminder-body-personal = You are invited to respond to the hearing “{ $hearing }” ({ $plan }), and we have not had your response yet. The deadline is { $deadline }, { $days ->
    [0] which is today
    [one] which is tomorrow
   *[other] in { $days } days
}.
email-reminder-link = Give your response here
email-reminder-contact = If you have questions, contact { $contact }.
email-reminder-ignore = If you have already responded, you can ignore this reminder.

reminders-heading = Deadline reminders
reminders-explain = Invited people who have not responded get an email some days before the deadline, at 09:00. An organisation has responded when one of its representatives has.
reminders-field-days = Days before the deadline
reminders-help-days = Write numbers separated by commas, for example 14, 3, 1. Leave the field empty to turn reminders off.
reminders-save = Save reminders
reminders-none-planned = No reminders are planned.
reminders-planned = Planned reminders
reminders-planned-item = { $days } { $days ->
    [one] day
   *[other] days
} before the deadline: { $at }
reminders-planned-sent = sent
reminders-invited = Invited
reminders-no-invited = Nobody is invited through the plan's groups.
reminders-col-name = Name
reminders-col-organisation = Organisation
reminders-col-status = Status
reminders-answered = Has responded
reminders-next = Reminded { $at }
reminders-no-next = No more reminders
reminders-send-now = Send a reminder now
reminders-send-now-help = Everyone invited who has not responded gets a reminder at once. This is logged.
reminders-done-saved = The reminders are saved.
reminders-done-sent = { $count ->
    [0] Everyone invited has responded, so nobody was reminded.
    [one] One person is being reminded now.
   *[other] { $count } people are being reminded now.
}
reminders-error-invalid_reminder_days = Write the days as numbers separated by commas, for example 14, 3, 1.
reminders-error-reminder_days_out_of_range = A reminder must be between 1 and 60 days before the deadline.
reminders-error-too_many_reminders = A hearing can have at most 6 reminders.
reminders-error-not_open = Reminders can only be sent while the hearing is open.
reminders-error-unavailable = The reminders could not be saved or sent just now. Please try again shortly.
change-reminded = Reminder sent
change-reminders_changed = Reminders changed

outbox-title = Outbox
outbox-explain = Emails Samråd sends for the municipality. An email that did not get through is tried again after a while; if it is refused for good, it is listed under “Given up”.
outbox-forbidden = Only the municipality's administrators can see the outbox.
outbox-queued = Queued
outbox-sent = Sent
outbox-dead = Given up
outbox-none = None.
outbox-col-created = Queued at
outbox-col-kind = Kind
outbox-col-recipient = To
outbox-col-attempts = Attempts
outbox-col-error = Error
outbox-col-sent = Sent at
outbox-col-next = Next attempt
outbox-retry = Try sending again
outbox-done-retried = The email is queued again.
outbox-error-not_found = No given-up email has that id.

## How the municipality's emails are sent (administrators)
sender-title = Email sender
sender-explain = This is how email from { $municipality } looks to those who receive it. A field you leave empty gets Samråd's default.
sender-forbidden = Only the municipality's administrators can change the email sender.
sender-field-display-name = Sender name
sender-help-display-name = For example “{ $municipality }, planning department”. Empty: the municipality's name.
sender-field-from = Sender address
sender-help-from = The address the email is sent from. The mail server must allow sending from it.
sender-field-reply-to = Replies go to
sender-help-reply-to = If a plan has no contact person of its own, replies to the email go here.
sender-field-base-url = The municipality's web address in Samråd
sender-help-base-url = Links in the email start with this address, for example https://hearing.municipality.no.
sender-save = Save
sender-saved = Saved. Emails sent from now on use the new settings.
form-problem-invalid_web_address = Write a web address starting with https://, for example https://hearing.municipality.no.
