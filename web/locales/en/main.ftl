# The interface in English.

site-name = Samråd
site-tagline = Public hearings and participation in the municipality
nav-skip = Skip to main content
nav-main = Main menu
nav-home = Hearings
nav-accessibility = Accessibility
lang-switch-label = Language
lang-name-nn = Nynorsk
lang-name-nb = Bokmål
lang-name-en = English
footer-text = Samråd is free software for public hearings.

home-title = Open and upcoming hearings
home-intro = Read plans that are out for hearing and give your view, section by section.
home-empty = There are no open or upcoming hearings right now.
home-deadline = Deadline: { $date }
home-state-open = Open for input
home-state-scheduled = Opens { $date }
home-state-closed = Closed

hearing-deadline = Deadline for input: { $date }
hearing-days-left = { $days ->
    [0] The deadline is today.
    [one] One day left.
   *[other] { $days } days left.
}
hearing-closed = The hearing is closed. Input that arrives now is marked as late.
hearing-not-open = The hearing is not open for input yet.
hearing-plan = Plan: { $title } ({ $start }–{ $end })
hearing-document = Document
hearing-contents = Contents
hearing-how-to = Choose a section of the document and write your comment below it. You do not need an account.
hearing-not-found = Hearing not found.

section-comments = Comments on { $number } { $title }
section-no-comments = No comments yet.
comment-late = Arrived after the deadline
comment-by = { $name } wrote
comment-form-title = Write a comment on { $number }
comment-form-name = Your name or the name of your organisation
comment-form-email = Email address (optional, not shown)
comment-form-body = Comment
comment-form-submit = Send comment
comment-posted = Thank you! Your comment has been received.
comment-error = The comment was not sent: { $message }

live-region-label = New comments
live-status-connected = New comments appear straight away.
live-status-reconnecting = Connection lost. Trying again …
live-pause = Pause announcements of new comments
live-resume = Resume announcements of new comments
live-new-comment = New comment from { $name } on { $section }.

a11y-title = Accessibility statement
a11y-intro = Samråd is meant for everyone, including people who use a keyboard, a screen reader, magnification or plain language.
a11y-standard = The service is built to meet WCAG 2.1 level AA. Every page is checked automatically with axe-core in a real browser before a new release is used.
a11y-keyboard = Everything can be done with the keyboard. Use Tab to move on and Enter to choose. The link "Skip to main content" is the first thing you reach.
a11y-live = New comments are read out by screen readers without moving your place, and you can pause the announcements.
a11y-known-issues = Known issues: none are registered. If you find something that does not work, we would like to hear about it.
a11y-contact = Contact the municipality that runs the hearing to report problems. You can also complain to the Norwegian Digitalisation Agency's supervisory authority for universal design of ICT (uutilsynet.no).

error-title = Something went wrong
error-not-found = Page not found.
error-back-home = Go to the front page

form-error-name = Write your name (at most 200 characters).
form-error-email = The email address does not look right. You may also leave it empty.
form-error-body = Write a comment (at most 10,000 characters).
form-error-not-open = The hearing does not take input now.
form-error-unavailable = We could not store the comment just now. Your text is kept here; please try again shortly.
form-required = (required)

feed-title = Hearings (Atom)
feed-link = Follow the hearings with a news feed (Atom)
municipality-title = Hearings in { $name }
municipality-current = Open and upcoming hearings
municipality-past = Closed hearings
hearing-opens = The hearing opens { $date }.
hearing-calendar = Add the deadline to your calendar (iCalendar)
hearing-about = What this is about
hearing-respond = How to give input
hearing-contact-person = Contact person: { $name } ({ $email })
