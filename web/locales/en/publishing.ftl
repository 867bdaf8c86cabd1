# Publishing the assessments of a hearing, and what participants see of them.
email-assessed-subject = How your input was assessed: “{ $hearing }”
email-assessed-body = The municipality has assessed the input you gave to “{ $hearing }” ({ $plan }). This is what we concluded.
email-assessed-input = You wrote:
email-assessed-outcome = Outcome: { $outcome }
email-assessed-response = The municipality's response: { $response }
email-assessed-link = See the hearing and the assessments
assessment-public-heading = The municipality's assessment
assessment-public-outcome = Outcome
assessment-public-response = The municipality's response
publish-heading = Publish the assessments
publish-explain = Every reviewed assessment becomes visible beside its input on the hearing page, and each participant gets one email about how their input was assessed.
publish-button = Publish the reviewed assessments
publish-confirm-title = Some inputs are not reviewed
publish-confirm-explain = { $count ->
    [one] One input is not reviewed and will not be published now:
   *[other] { $count } inputs are not reviewed and will not be published now:
}
publish-confirm-item = Input no. { $number } ({ $state })
publish-confirm-button = Publish the reviewed ones anyway
publish-cancel = Cancel and go back
publish-done = { $count ->
    [one] One assessment was published.
   *[other] { $count } assessments were published.
} { $emails ->
    [one] One email was sent to the participants.
   *[other] { $emails } emails were sent to the participants.
}
