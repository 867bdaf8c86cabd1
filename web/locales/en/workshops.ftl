# Workshops (arbeidsmøte): letters, the workshop pages, the group page.

email-workshop-when = When: { $starts }–{ $ends }
email-workshop-where = Where: { $address }
email-workshop-online = Online meeting: { $link }
email-workshop-agenda = Agenda:
workshop-feature-step-free = Step-free access
workshop-feature-hearing-loop = Hearing loop
workshop-feature-parking = Parking
workshop-feature-interpreter = Interpreter on request
email-workshop-invitation-subject = Invitation: { $workshop }
email-workshop-invitation-body = You are invited to the workshop “{ $workshop }” on { $plan }.
email-workshop-update-subject = Changed: { $workshop }
email-workshop-update-body = The workshop “{ $workshop }” on { $plan } has changed. This is what applies now.
email-workshop-answer = Answer yes, no or maybe, and tell us what you need to take part: food, access, an interpreter or an assistant.
email-workshop-link = Open the workshop
email-workshop-calendar = The meeting is attached as a calendar file, so you can add it to your calendar.
email-workshop-cancelled-subject = Cancelled: { $workshop }
email-workshop-cancelled-body = The workshop “{ $workshop }” on { $plan } on { $starts } is cancelled.
email-workshop-cancelled-calendar = The attached calendar file removes the meeting from your calendar.
email-workshop-reminder-subject = Reminder: { $workshop }
email-workshop-reminder-body = In { $hours } hours there is a workshop: “{ $workshop }” on { $plan }.
email-workshop-reminder-waiting = You are on the waiting list. We will tell you if you get a seat.
email-workshop-reminder-change = Can you not come after all? Change your answer so someone else can have the seat.
email-workshop-seat-subject = You have a seat: { $workshop }
email-workshop-seat-body = A seat became free. You were on the waiting list and now have a seat at the workshop “{ $workshop }” on { $plan }.
