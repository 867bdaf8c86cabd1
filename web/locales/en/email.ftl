email-comment-notice-subject = New comment: { $hearing }
email-comment-notice-body = { $author } commented on { $section } in the hearing "{ $hearing }" ({ $plan }).
email-comment-notice-late = The comment arrived after the deadline and is marked as late.
email-comment-notice-link = Read the comment and the hearing: { $link }
email-signature = Samråd – public hearings and participation
email-deadline-extended-subject = New deadline: { $hearing }
email-deadline-extended-body = The deadline for input to the hearing "{ $hearing }" has moved to { $deadline }. The reason given:
email-deadline-extended-link = Read more and give input: { $link }
