## Privacy: input without an account, my page, download and deletion.

nav-me = My page
comment-author-removed = Name removed
comment-anonymised = Anonymised
comment-form-email-required = Email address (not shown)
comment-form-confirm-help = We will send you a link. Your comment is added to the hearing once you have opened the link and confirmed.
comment-form-as = You are writing as { $name }.
comment-form-as-link = Change your name on your page
comment-pending = Thank you! Check your inbox: we have sent you a link. Your comment is added to the hearing once you have confirmed it.
form-error-email-invalid = The email address does not look right. Check it, so we can send you the link.
form-error-email-required = Enter your email address, so we can send you a link to confirm your input.
reply-form-email = Your email address (not shown)

confirm-input-title = Confirm your input
confirm-input-intro = Press the button to confirm your email address. Your input is then added to the hearing, and you are signed in.
confirm-input-button = Confirm and publish
confirm-input-failed-title = This link no longer works
confirm-input-failed = The link has been used, is too old or is not valid. If you confirmed already, your input has been published. Input that is not confirmed within seven days is deleted.
confirm-input-failed-back = To the front page

me-title = My page
me-intro = Here you see what Samråd has stored about you, and everything you have written.
me-confirmed = { $count ->
    [one] Thank you! Your input is confirmed and published.
   *[other] Thank you! { $count } inputs are confirmed and published.
}
me-confirmed-none = Thank you! Your email address is confirmed.
me-profile = About you
me-field-name = Name
me-field-email = Email address
me-field-lang = Language for emails and pages
me-email-help = You cannot change your email address here. To use another one, sign in with it.
me-save = Save
me-saved = Your changes are saved.
me-error-name = Enter your name (at most 200 characters, on one line).
me-error-lang = Choose Nynorsk, Bokmål or English.
me-groups = Your groups
me-no-groups = You are not in any group.
me-col-group = Group
me-col-plan = Plan
me-col-role = Role
me-role-member = Member
me-role-chair = Chair
me-role-organisation_representative = Representative of { $organisation }
me-plans = Plans you take part in
me-no-plans = You do not take part in any plan yet.
me-hearings = Open hearings you can give input to
me-no-hearings = No hearings are open now.
me-hearing-invited = for invited participants
me-inputs = Your inputs
me-no-inputs = You have not written any input yet.
me-col-hearing = Hearing
me-col-section = Section
me-col-status = Status
me-col-date = Date
me-col-text = Input
me-status-published = Published
me-status-unconfirmed = Waiting for you to confirm your email address
me-privacy = Privacy
me-privacy-intro = You can download everything we have stored about you, and you can ask to be deleted.
me-export = Download everything we have stored about you (JSON)
me-delete-link = Ask to be deleted

delete-title = Delete me
delete-intro = When you ask to be deleted, this happens at once:
delete-what-inputs = Your inputs stay in the hearings, because they are part of the case record. Your name is removed from them everywhere.
delete-what-unconfirmed = Inputs you have not confirmed are deleted.
delete-what-account = Your name and email address are removed, and you are signed out. Group memberships, invitations and roles are deleted.
delete-what-emails = Emails to you that have not been sent yet are stopped.
delete-what-again = If you want to use Samråd later, you start afresh.
delete-export-first = Would you like a copy first?
delete-confirm-label = I understand that the deletion cannot be undone.
delete-button = Delete me now
delete-error-confirm = Tick the box to say you understand that the deletion cannot be undone.
delete-cancel = No, back to my page
deleted-title = You have been deleted
deleted-text = Your name and email address are removed, and you are signed out. Your inputs remain in the hearings without a name.

planner-inputs = Inputs
planner-no-inputs = No inputs have been published yet.
planner-col-section = Section
planner-col-author = From
planner-col-date = Received
planner-col-input = Input
planner-anonymised-help = Anonymised: the person asked to be deleted. The text remains, the name is removed.

email-confirm-input-subject = Confirm your input: { $hearing }
email-confirm-input-body = Thank you for your input to the hearing "{ $hearing }". You wrote:
email-confirm-input-link = Open the link below and press the button to confirm your email address. Your input is then added to the hearing. The link works once and for { $hours } hours.
email-confirm-input-ignore = If you did not write this, you can ignore this email. The input is deleted after seven days.
me-responses = Official responses
me-no-responses = Neither you nor an organisation you represent has sent an official response.
me-col-from = From
me-col-versions = Versions
me-response-version = Version { $version }, { $date }, by { $name }

## Which emails a person receives, and the one-click link that stops one kind

me-emails = Emails you receive
me-emails-help = We always send sign-in links, confirmations, receipts and invitations. You choose the rest.
me-emails-legend = Send me emails about
me-emails-save = Save email settings
me-emails-saved = Your email settings are saved.
me-error-email-kind = Choose among the kinds of email in the list.
email-kind-comment-notice = new input on plans you are the contact person for
email-kind-deadline-extended = changed deadlines in hearings you take part in
email-kind-deadline-reminder = reminders before a deadline
email-kind-input-hidden = input of yours that a planner has hidden
email-kind-hearing-opened = when a hearing opens in a plan you take part in
email-kind-hearing-closed = when a hearing you take part in closes
email-kind-comment-reply = replies to your comments
email-kind-response-notice = new official responses to plans you are the contact for
email-kind-inputs-assessed = how the municipality assessed your input
unsubscribe-title = Stop emails
unsubscribe-intro = Do you want to stop receiving this email?
unsubscribe-button = Stop this email
unsubscribe-done-title = The email is stopped
unsubscribe-done = We no longer send you emails about this:
unsubscribe-other = Only this kind of email is stopped. You can change which emails you receive on your page when you are signed in.
unsubscribe-me-link = Go to your page
unsubscribe-unknown-title = The link is not valid
unsubscribe-unknown = This link to stop emails is not valid, and nothing was changed. Check that you copied all of it, or change your email settings on your page.

me-letters = Letters and emails you sent
me-letters-help = Letters and emails from you that the municipality registered as input to a plan. Once the municipality has published its assessment, it is shown here.
me-col-number = No.
me-col-received = Received
