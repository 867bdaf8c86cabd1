# Support, edits, deletion, reports and moderation of comments.
comment-supporters = { $count ->
    [one] 1 person agrees
   *[other] { $count } people agree
}
comment-support = I agree
comment-unsupport = Withdraw “I agree”
comment-support-sign-in = Sign in to say you agree
comment-edited = edited { $time }
comment-history = Earlier versions of the comment
comment-history-written = Written { $time }
comment-edit = Edit the comment
comment-edit-body = New text
comment-edit-help = You can edit the comment for 15 minutes after sending it. The earlier text is kept and shown.
comment-edit-submit = Save the change
comment-delete = Delete the comment
comment-deleted = The comment was deleted.
comment-hidden = The comment was hidden by the municipality.
comment-pending-review = The comment is hidden pending review.
comment-removed-author = a comment that is not shown
comment-report = Report the comment
comment-report-reason = Why? (optional)
comment-report-submit = Send the report
comment-done-supported = You said you agree.
comment-done-unsupported = You withdrew “I agree”.
comment-done-edited = The comment was changed.
comment-done-deleted = The comment was deleted.
comment-done-reported = Thank you. The municipality will look at the report.
comment-done-confirmed = Thank you! Your email address is confirmed and your input is published in the hearing.
comment-error-forbidden = You cannot do this with the comment.
comment-error-window = A comment can only be edited for 15 minutes after it was sent.
comment-error-not-public = The comment is deleted or hidden.
comment-error-reason = Give a reason.
form-error-forbidden = You do not have access to comment on this hearing.
form-error-parent = The comment you are answering was not found in this section, so your answer was not saved. Reload the page and try again.
form-error-reason = Write a reason of at most 2,000 characters.
live-comment-supported = A comment now has { $count } people who agree.
live-comment-edited = A comment was edited.
live-comment-deleted = A comment was deleted by its author.
live-comment-hidden = A comment was hidden.
live-comment-restored = A comment is shown again.
moderation-title = Reported and hidden comments
moderation-none = No comments are reported or hidden.
moderation-reports = { $count ->
    [one] 1 report
   *[other] { $count } reports
}
moderation-status-published = Shown
moderation-status-hidden = Hidden by the municipality
moderation-status-pending_review = Hidden pending review
moderation-status-deleted = Deleted by its author
moderation-no-reason = (no reason given)
moderation-hide-reason = Reason for hiding (sent to the author)
moderation-hide = Hide the comment
moderation-restore = Show the comment again
moderation-log = Moderation log
moderation-action-auto_hidden = Hidden after reports
moderation-action-hidden = Hidden
moderation-action-restored = Shown again
moderation-done-hidden = The comment is hidden, and the author is told.
moderation-done-restored = The comment is shown again.
email-input-hidden-subject = Your comment was hidden: { $hearing }
email-input-hidden-body = The municipality hid your comment in the hearing “{ $hearing }”. The comment is still kept and will be assessed with the other inputs.
email-input-hidden-reason = Reason:
email-input-hidden-link = Open the hearing

# Asking before a comment is deleted.
comment-delete-title = Delete the comment?
comment-delete-ask = Do you want to delete the comment? It will no longer be shown, and you cannot undo this.
comment-delete-confirm = Yes, delete the comment
comment-delete-cancel = No, back to the hearing

# Choosing the passage a comment is about, sentence by sentence or with the mouse.
passage-picker-open = Comment on a passage
passage-picker-title = Choose a passage from { $section }
passage-picker-help = Step through the text sentence by sentence with the arrow keys or the buttons. Choose “Start here” at the first sentence you want, and “End here” at the last one. Then choose “Use the passage”.
passage-picker-sentence = Sentence { $n } of { $count }: { $text }
passage-picker-chosen = The passage: { $text }
passage-picker-none = You have not chosen a passage yet.
passage-picker-start-set = The passage starts at sentence { $n }.
passage-picker-end-set = The passage ends at sentence { $n }.
passage-picker-too-long = The passage is too long. It can be at most 1,000 characters.
passage-picker-previous = Previous sentence
passage-picker-next = Next sentence
passage-picker-start = Start here
passage-picker-end = End here
passage-picker-use = Use the passage
passage-picker-cancel = Cancel
passage-picker-cancelled = No passage was chosen.
passage-comment-selection = Comment on this passage
comment-error-too-many = Many comments have been sent from this address or to this email address lately. Please try again in a while, or sign in.
comment-error-key-reused = The form could not be sent as it is. Please reload the page and write the comment again.
