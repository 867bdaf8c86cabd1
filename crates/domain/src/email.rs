//! Emails that Samråd sends, as data. The notification worker renders them in the
//! recipient's language; the outbox stores them as JSON until they are delivered.

use crate::Lang;
use crate::group::{GroupKind, MemberRole};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Email {
    /// Tells a plan's contact person that a new comment arrived.
    CommentNotice {
        plan_title: String,
        hearing_title: String,
        section_number: String,
        section_title: String,
        author_name: String,
        excerpt: String,
        late: bool,
        /// Absolute link to the hearing page.
        link: String,
    },
    /// A single-use link that signs the recipient in.
    SignInLink { link: String, valid_minutes: u32 },
    /// Invites a person to a group, as a letter: who invites, the plan and why the
    /// group matters, the person's role, the meetings and the deadline, the link (a
    /// page whose button accepts) and how to decline.
    Invitation {
        municipality_name: String,
        plan_title: String,
        group_name: String,
        #[serde(default = "default_group_kind")]
        group_kind: GroupKind,
        /// Who invited them, as the planner's name.
        invited_by: String,
        #[serde(default = "default_role")]
        role: MemberRole,
        /// The organisation a representative speaks for.
        #[serde(default)]
        organisation_name: Option<String>,
        /// The plan's milestones still to come: the group's meetings and steps.
        #[serde(default)]
        meetings: Vec<Meeting>,
        /// RFC 3339: the deadline of the plan's open or coming hearing, if any.
        #[serde(default)]
        hearing_deadline: Option<String>,
        link: String,
        valid_days: u32,
    },
    /// Someone gave input without signing in: the link confirms the address, which
    /// publishes the input and signs them in.
    ConfirmInput {
        hearing_title: String,
        excerpt: String,
        link: String,
        valid_minutes: u32,
    },
    /// Tells participants that a hearing's deadline moved.
    DeadlineExtended {
        hearing_title: String,
        /// RFC 3339; rendered in the recipient's language and Norwegian time.
        new_deadline: String,
        reason: String,
        link: String,
    },
    /// Tells the author that a planner hid their comment, and why.
    InputHidden {
        hearing_title: String,
        excerpt: String,
        reason: String,
        /// Absolute link to the hearing page.
        link: String,
    },
    /// Confirms to the submitter that an official response (or a new version of
    /// it) was received, with a copy of the text and the list of attachments.
    ResponseReceipt {
        hearing_title: String,
        plan_title: String,
        /// The organisation the response speaks for; `None` for a personal one.
        organisation_name: Option<String>,
        version: i32,
        text: String,
        /// File names with their sizes in bytes, in order.
        attachments: Vec<ReceiptAttachment>,
        late: bool,
        /// RFC 3339; rendered in the recipient's language and Norwegian time.
        received_at: String,
        /// Absolute link to the response page.
        link: String,
    },

    /// Reminds someone invited to a hearing who has not answered yet that the
    /// deadline comes near.
    DeadlineReminder {
        hearing_title: String,
        plan_title: String,
        /// The organisation they were invited for, if any.
        organisation_name: Option<String>,
        /// RFC 3339; rendered in the recipient's language and Norwegian time.
        deadline: String,
        /// Whole days left, as planned for this reminder (0 for one sent by hand
        /// on the deadline's day).
        days_left: u32,
        /// Absolute link to the hearing's response form.
        link: String,
        contact_name: Option<String>,
        contact_email: Option<String>,
    },
    /// Tells a participant how the municipality assessed their inputs to a
    /// hearing: one email with every input of theirs whose assessment was published.
    InputsAssessed {
        hearing_title: String,
        plan_title: String,
        inputs: Vec<AssessedInput>,
        /// Absolute link to the hearing page.
        link: String,
    },
    /// Tells the members of a plan's groups that a hearing opened for input.
    HearingOpened {
        hearing_title: String,
        plan_title: String,
        /// RFC 3339; rendered in the recipient's language and Norwegian time.
        deadline: String,
        /// Absolute link to the hearing page.
        link: String,
    },
    /// Tells the members of a plan's groups and everyone who gave input that a
    /// hearing closed.
    HearingClosed {
        hearing_title: String,
        plan_title: String,
        link: String,
    },
    /// Tells the author of a comment that someone replied to it.
    CommentReply {
        hearing_title: String,
        section_title: String,
        /// Who replied.
        author_name: String,
        excerpt: String,
        /// Absolute link to the reply on the hearing page.
        link: String,
    },
    /// Tells the plan's contact that an official response (or a new version of it)
    /// arrived.
    ResponseNotice {
        hearing_title: String,
        plan_title: String,
        /// The organisation it speaks for, else the person who gave it.
        from: String,
        version: i32,
        late: bool,
        /// Absolute link to the hearing's responses on the workbench.
        link: String,
    },
    /// The day's new inputs in one letter: to a planner, the inputs to the plans they
    /// chose a digest for; to a participant, the new comments where they follow.
    Digest {
        /// `YYYY-MM-DD`: the day the inputs came in.
        day: String,
        /// New inputs to the recipient's plans, by plan, hearing and section.
        #[serde(default)]
        planned: Vec<DigestHearing>,
        /// New comments on the hearings and sections the recipient follows.
        #[serde(default)]
        followed: Vec<DigestHearing>,
    },
    /// Invites the members of a workshop's groups, or tells them (and those who
    /// answered) that it changed: a letter with the time, the place, the agenda and
    /// the link to answer, with the event attached as iCalendar (METHOD:REQUEST).
    WorkshopInvitation {
        event: WorkshopEvent,
        /// Sent because the workshop changed (a higher SEQUENCE than before).
        update: bool,
    },
    /// Tells the invited that a workshop was cancelled (METHOD:CANCEL attached).
    WorkshopCancelled { event: WorkshopEvent },
    /// Reminds those registered that a workshop comes near.
    WorkshopReminder {
        event: WorkshopEvent,
        /// Hours before the start, as configured for the workshop.
        hours: u32,
        /// The registration: `true` with a seat, `false` on the waiting list.
        seat: bool,
    },
    /// Tells someone on the waiting list that a seat is theirs now.
    WorkshopSeat { event: WorkshopEvent },
}

/// A workshop as its letters and its calendar event describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopEvent {
    /// The stable iCalendar UID.
    pub uid: String,
    /// iCalendar SEQUENCE: rises with every change.
    pub sequence: u32,
    pub title: String,
    pub plan_title: String,
    pub purpose: String,
    /// RFC 3339; rendered in the recipient's language and Norwegian time.
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<crate::workshop::Place>,
    pub online_link: Option<String>,
    /// Agenda items as lines ("Trinn 7–10 (45 min)").
    pub agenda: Vec<String>,
    /// Absolute link to the workshop page, where the invited answer.
    pub link: String,
    /// Who organises it (the plan's contact), for the calendar's ORGANIZER.
    pub organizer: Option<String>,
    /// The invited person the calendar event is for, with their answer: the
    /// calendar's ATTENDEE. Absent in letters queued before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee: Option<Attendee>,
}

/// One invited person in a workshop's calendar event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub email: String,
    pub name: String,
    /// RFC 5545 PARTSTAT: `NEEDS-ACTION`, `ACCEPTED`, `DECLINED` or `TENTATIVE`.
    pub partstat: String,
}

/// One hearing in a [`Email::Digest`], with its new inputs by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestHearing {
    pub plan_title: String,
    pub hearing_title: String,
    /// Absolute link to the hearing page.
    pub link: String,
    pub sections: Vec<DigestSection>,
}

/// A section of a hearing in a digest (or, with an empty `title`, the hearing's
/// official responses), with its new inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSection {
    /// Number and title, such as `3.1 Roller og ansvar`; empty for responses.
    pub title: String,
    pub inputs: Vec<DigestInput>,
}

/// One new input in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestInput {
    /// The comment or response it is, so that forgetting its author finds it.
    pub id: uuid::Uuid,
    /// Who gave it; empty once they were forgotten.
    pub author_name: String,
    pub excerpt: String,
    pub late: bool,
    /// Absolute link to the input.
    pub link: String,
}

impl Email {
    /// The inputs a digest lists, planned and followed.
    pub fn digest_inputs_mut(&mut self) -> Vec<&mut DigestInput> {
        match self {
            Email::Digest {
                planned, followed, ..
            } => planned
                .iter_mut()
                .chain(followed.iter_mut())
                .flat_map(|h| h.sections.iter_mut())
                .flat_map(|s| s.inputs.iter_mut())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// One input in an [`Email::InputsAssessed`]: what they wrote, the outcome, and the
/// municipality's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedInput {
    pub excerpt: String,
    pub outcome: Option<crate::assessment::Outcome>,
    pub response: String,
}

fn default_group_kind() -> GroupKind {
    GroupKind::ReferenceGroup
}

fn default_role() -> MemberRole {
    MemberRole::Member
}

/// A dated step of the plan named in an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptAttachment {
    pub file_name: String,
    pub size_bytes: u64,
}

/// The kinds of email a person may turn off (on `/me` or with the one-click link in
/// the email). Sign-in links, confirmations, receipts and invitations always go:
/// they answer something the person did or ask them to act, and without them they
/// could not sign in, publish input or see that a response arrived.
pub const OPTIONAL_KINDS: [&str; 11] = [
    "comment_notice",
    "deadline_extended",
    "deadline_reminder",
    "input_hidden",
    "hearing_opened",
    "hearing_closed",
    "comment_reply",
    "response_notice",
    "inputs_assessed",
    "digest",
    "workshop_reminder",
];

/// The optional kind named `kind`, as the constant (so a stored or typed name
/// becomes one of the known kinds, or nothing).
pub fn optional_kind(kind: &str) -> Option<&'static str> {
    OPTIONAL_KINDS.into_iter().find(|k| *k == kind)
}

impl Email {
    /// Whether the recipient may turn this kind of email off.
    pub fn is_optional(&self) -> bool {
        optional_kind(self.kind()).is_some()
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Email::CommentNotice { .. } => "comment_notice",
            Email::DeadlineExtended { .. } => "deadline_extended",
            Email::SignInLink { .. } => "sign_in_link",
            Email::Invitation { .. } => "invitation",
            Email::InputHidden { .. } => "input_hidden",
            Email::ConfirmInput { .. } => "confirm_input",
            Email::ResponseReceipt { .. } => "response_receipt",
            Email::DeadlineReminder { .. } => "deadline_reminder",
            Email::InputsAssessed { .. } => "inputs_assessed",
            Email::HearingOpened { .. } => "hearing_opened",
            Email::HearingClosed { .. } => "hearing_closed",
            Email::CommentReply { .. } => "comment_reply",
            Email::ResponseNotice { .. } => "response_notice",
            Email::Digest { .. } => "digest",
            Email::WorkshopInvitation { .. } => "workshop_invitation",
            Email::WorkshopCancelled { .. } => "workshop_cancelled",
            Email::WorkshopReminder { .. } => "workshop_reminder",
            Email::WorkshopSeat { .. } => "workshop_seat",
        }
    }

    /// The workshop a workshop's letter describes, to change it per recipient.
    pub fn workshop_event_mut(&mut self) -> Option<&mut WorkshopEvent> {
        match self {
            Email::WorkshopInvitation { event, .. }
            | Email::WorkshopCancelled { event }
            | Email::WorkshopReminder { event, .. }
            | Email::WorkshopSeat { event } => Some(event),
            _ => None,
        }
    }

    /// The same email without the link that signs in, confirms input or accepts
    /// an invitation: what the outbox keeps once the email was delivered.
    pub fn without_secrets(&self) -> Email {
        let mut kept = self.clone();
        match &mut kept {
            Email::SignInLink { link, .. }
            | Email::Invitation { link, .. }
            | Email::ConfirmInput { link, .. } => link.clear(),
            _ => {}
        }
        kept
    }
}

/// An email to queue: who, in which language, from whom, and a key that makes
/// queueing the same logical email twice a no-op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub dedupe_key: String,
    /// The municipality it is sent for, whose administrators see it in the outbox;
    /// `None` for an email that belongs to no one municipality.
    #[serde(default)]
    pub municipality: Option<crate::MunicipalityId>,
    /// The plan it is sent for, whose planners see it on the plan's email page.
    #[serde(default)]
    pub plan: Option<crate::PlanId>,
    pub recipient: String,
    pub lang: Lang,
    pub email: Email,
    pub letterhead: Letterhead,
}

/// What the outbox stores in its payload column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailEnvelope {
    pub lang: Lang,
    pub email: Email,
    /// Older jobs have none and go out as from the installation.
    #[serde(default)]
    pub letterhead: Letterhead,
}

/// Who a letter is from and to: the municipality (its name in the sender's display
/// name and the subject), where replies go, the contact person who signs it, the
/// case it belongs to, and the name the greeting uses. Filled in when the email is
/// queued, from the municipality's settings and the plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    /// Empty: the installation sends it, without a municipality.
    pub municipality: String,
    /// The sender's display name; the municipality's name when `None`.
    pub display_name: Option<String>,
    /// The From address; the installation's when `None`.
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    pub contact: Option<Contact>,
    /// The plan's case number (saksnummer).
    pub case_number: Option<String>,
    /// The recipient's name, for the greeting.
    pub recipient_name: Option<String>,
}

/// The person who signs a letter and answers questions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Letterhead {
    /// The letterhead of a plan's letters: the municipality's sender identity, the
    /// plan's contact person and case number; a hearing's own contact comes first.
    pub fn of_plan(
        municipality: &crate::plan::Municipality,
        plan: &crate::plan::Plan,
        hearing: Option<&crate::hearing::Hearing>,
    ) -> Letterhead {
        let hearing_name = hearing.and_then(|h| h.contact_name.clone());
        let hearing_email = hearing.and_then(|h| h.contact_email.clone());
        let contact = Contact {
            name: hearing_name.or_else(|| plan.contact.name.clone()),
            department: plan.contact.department.clone(),
            phone: plan.contact.phone.clone(),
            email: hearing_email.or_else(|| plan.contact_email.clone()),
        };
        let has_contact = contact != Contact::default();
        Letterhead {
            reply_to: contact
                .email
                .clone()
                .or_else(|| municipality.sender.reply_to.clone()),
            ..Letterhead::of_municipality(municipality)
        }
        .with_contact(has_contact.then_some(contact))
        .with_case_number(plan.case_number.clone())
    }

    /// The letterhead of a municipality's letters that concern no plan.
    pub fn of_municipality(municipality: &crate::plan::Municipality) -> Letterhead {
        Letterhead {
            municipality: municipality.name.clone(),
            display_name: municipality.sender.display_name.clone(),
            from_address: municipality.sender.from_address.clone(),
            reply_to: municipality.sender.reply_to.clone(),
            ..Letterhead::default()
        }
    }

    pub fn with_contact(mut self, contact: Option<Contact>) -> Letterhead {
        self.contact = contact;
        self
    }

    pub fn with_case_number(mut self, case_number: Option<String>) -> Letterhead {
        self.case_number = case_number;
        self
    }

    /// The same letter addressed to someone by name.
    pub fn to(mut self, name: &str) -> Letterhead {
        let name = name.trim();
        self.recipient_name = (!name.is_empty()).then(|| name.to_owned());
        self
    }
}

/// Shortens a text for an email excerpt without cutting a character in half.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivered_email_keeps_no_link_that_signs_in_confirms_or_accepts() {
        let secret = "http://x/sign-in/confirm?token=s3cret";
        let emails = [
            Email::SignInLink {
                link: secret.into(),
                valid_minutes: 15,
            },
            Email::ConfirmInput {
                hearing_title: "H".into(),
                excerpt: "E".into(),
                link: secret.into(),
                valid_minutes: 60,
            },
            Email::Invitation {
                municipality_name: "M".into(),
                plan_title: "P".into(),
                group_name: "G".into(),
                group_kind: default_group_kind(),
                invited_by: "I".into(),
                role: default_role(),
                organisation_name: None,
                meetings: Vec::new(),
                hearing_deadline: None,
                link: secret.into(),
                valid_days: 14,
            },
        ];
        for email in emails {
            let kept = serde_json::to_string(&email.without_secrets()).expect("json");
            assert!(!kept.contains("s3cret"), "{kept}");
            assert_eq!(email.without_secrets().kind(), email.kind());
        }
        // A link that opens a public page is no secret and stays.
        let notice = Email::InputHidden {
            hearing_title: "H".into(),
            excerpt: "E".into(),
            reason: "R".into(),
            link: "http://x/hearings/1".into(),
        };
        assert_eq!(notice.without_secrets(), notice);
    }

    #[test]
    fn excerpt_counts_characters_not_bytes() {
        assert_eq!(excerpt("æøå", 2), "æø…");
        assert_eq!(excerpt("kort", 10), "kort");
    }
}
