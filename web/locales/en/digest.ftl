# Daily digests, following hearings and sections, and the unsubscribe link in emails.

email-unsubscribe-link = Stop getting emails of this kind
email-kind-digest = a daily summary of new input to your plans and where you follow
email-digest-subject = New input on { $day }
email-digest-intro = Here is what came in on { $day }.
email-digest-planned = New input to plans you are the contact for:
email-digest-followed = New comments where you follow:
email-digest-hearing = { $hearing } ({ $plan })
email-digest-responses = Official responses
email-digest-late = after the deadline
email-digest-hearing-link = Open the hearing
email-digest-settings = You can choose what you get on My page.

follow-hearing = Follow the hearing
follow-hearing-stop = Stop following the hearing
follow-hearing-help = If you follow a hearing or a section, you get one email a day with the new comments there.
follow-section = Follow the section
follow-section-stop = Stop following the section
follow-done = You are now following. New comments come in a daily email.
follow-stopped = You no longer follow this.
follow-sign-in = Sign in to follow the hearing:
follow-error-section = The section is not part of this hearing.

me-follows = What you follow
me-follows-help = Each morning you get one email with new comments from others on what you follow.
me-no-follows = You follow no hearing. Use the button “Follow the hearing” or “Follow the section” on the hearing's page.
me-follow-whole = The whole hearing
me-unfollow = Stop following
me-unfollow-label = Stop following { $what }
me-unfollowed = You no longer follow this.
me-notices = Notices of new input to your plans
me-notices-help = Input comes either as one email for each input, or together in one email in the morning.
me-notice-digest = Together once a day
me-notice-immediate = One email for each input
me-notices-save = Save the notice choices
me-notices-saved = Your notice choices are saved.
me-error-notice-plan = You are not a planner of this plan.
