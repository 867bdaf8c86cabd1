//! The signed-in person's own data: everything stored about them, to download.

use crate::auth::session::MaybeSignedIn;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use consultation::people::SignedIn;
use consultation::privacy::PersonData;
use http::{HeaderValue, header};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

fn ts(t: jiff::Timestamp) -> String {
    crate::web::rfc3339(t)
}

fn opt_ts(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(ts)
}

/// Everything Samråd stores about a person or under their address. Never holds a
/// secret: no link token, session secret or hash, no password hash and no email
/// content (emails are listed by kind and status).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonExport {
    /// When this export was made (RFC 3339).
    pub exported_at: String,
    pub person: PersonDto,
    pub staff_roles: Vec<StaffRoleDto>,
    /// Plans the person is a planner of.
    pub plans_planned: Vec<PlanRefDto>,
    pub memberships: Vec<MembershipDto>,
    pub invitations: Vec<InvitationDto>,
    pub sessions: Vec<SessionDto>,
    /// Sign-in and confirmation links sent to the person (never their tokens).
    pub sign_in_links: Vec<LinkDto>,
    /// Every input, whatever its status.
    pub comments: Vec<OwnCommentDto>,
    /// Emails to the person's address.
    pub emails: Vec<EmailDto>,
    /// Changes to hearings the person made as staff.
    pub hearing_changes: Vec<ChangeDto>,
    /// Plans and hearings that give the person's address as their contact.
    pub contact_for: Vec<ContactDto>,
    /// The kinds of email the person turned off.
    pub email_opt_outs: Vec<String>,
    /// The hearings and sections the person follows (a daily digest of new comments).
    pub follows: Vec<FollowDto>,
    /// The plans the person plans: whether they hear of each input at once or in
    /// the daily digest.
    pub notice_choices: Vec<NoticeChoiceDto>,
    /// Letters and emails from the person that planners registered by hand.
    pub letters_sent: Vec<SentLetterDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowDto {
    pub hearing_id: Uuid,
    pub hearing: String,
    /// `None`: the whole hearing.
    pub section_id: Option<Uuid>,
    pub section: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeChoiceDto {
    pub plan_id: Uuid,
    pub plan: String,
    /// `immediate` (a notice at each input) or `digest` (once a day).
    pub notices: String,
}

/// A letter the person sent, as the planners registered it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentLetterDto {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub sender_name: String,
    /// The address or email the letter gave, if recorded.
    pub sender_contact: Option<String>,
    /// letter, email or other.
    pub channel: String,
    /// YYYY-MM-DD.
    pub received_on: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// nn, nb or en.
    pub language: String,
    pub created_at: String,
    pub email_confirmed_at: Option<String>,
    pub anonymised_at: Option<String>,
    /// Whether a password is set (the password and its hash are never shown).
    pub has_password: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffRoleDto {
    pub municipality: String,
    pub role: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanRefDto {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipDto {
    pub group_id: Uuid,
    pub group: String,
    pub group_kind: String,
    pub plan_id: Uuid,
    pub plan: String,
    pub role: String,
    pub organisation: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationDto {
    pub id: Uuid,
    pub group: String,
    pub plan: String,
    pub role: String,
    pub invited_by: String,
    pub created_at: String,
    pub sent_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    pub id: Uuid,
    pub municipality_id: Option<Uuid>,
    pub created_at: String,
    pub expires_at: String,
    /// The session this export was asked for in.
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDto {
    pub id: Uuid,
    /// sign_in or confirm_input.
    pub purpose: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwnCommentDto {
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub hearing: String,
    pub section_id: Uuid,
    pub section: String,
    /// published or unconfirmed.
    pub status: String,
    pub anonymised: bool,
    pub author_name: String,
    pub body: String,
    pub quote: Option<String>,
    pub late: bool,
    pub parent_id: Option<Uuid>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailDto {
    pub id: Uuid,
    pub kind: String,
    /// pending, sent, failed or cancelled.
    pub status: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    pub hearing_id: Uuid,
    pub kind: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactDto {
    /// plan or hearing.
    pub kind: String,
    pub id: Uuid,
    pub title: String,
}

impl PersonExport {
    pub fn new(
        data: PersonData,
        current: domain::SessionId,
        exported_at: jiff::Timestamp,
    ) -> PersonExport {
        let p = data.person;
        PersonExport {
            exported_at: ts(exported_at),
            person: PersonDto {
                id: p.person.id.0,
                name: p.person.name,
                email: p.person.email,
                language: p.person.lang.code().to_owned(),
                created_at: ts(p.created_at),
                email_confirmed_at: opt_ts(p.email_confirmed_at),
                anonymised_at: opt_ts(p.anonymised_at),
                has_password: p.has_password,
            },
            staff_roles: data
                .staff_roles
                .into_iter()
                .map(|s| StaffRoleDto {
                    municipality: s.municipality,
                    role: s.role.as_str().to_owned(),
                    created_at: ts(s.created_at),
                })
                .collect(),
            plans_planned: data
                .plans_planned
                .into_iter()
                .map(|p| PlanRefDto {
                    id: p.id.0,
                    title: p.title,
                })
                .collect(),
            memberships: data
                .memberships
                .into_iter()
                .map(|m| MembershipDto {
                    group_id: m.group_id.0,
                    group: m.group_name,
                    group_kind: m.group_kind.as_str().to_owned(),
                    plan_id: m.plan_id.0,
                    plan: m.plan_title,
                    role: m.role.as_str().to_owned(),
                    organisation: m.organisation,
                    created_at: ts(m.created_at),
                })
                .collect(),
            invitations: data
                .invitations
                .into_iter()
                .map(|i| InvitationDto {
                    id: i.id.0,
                    group: i.group_name,
                    plan: i.plan_title,
                    role: i.role.as_str().to_owned(),
                    invited_by: i.invited_by,
                    created_at: ts(i.created_at),
                    sent_at: ts(i.sent_at),
                    expires_at: ts(i.expires_at),
                    accepted_at: opt_ts(i.accepted_at),
                    revoked_at: opt_ts(i.revoked_at),
                })
                .collect(),
            sessions: data
                .sessions
                .into_iter()
                .map(|s| SessionDto {
                    id: s.id.0,
                    municipality_id: s.municipality.map(|m| m.0),
                    created_at: ts(s.created_at),
                    expires_at: ts(s.expires_at),
                    current: s.id == current,
                })
                .collect(),
            sign_in_links: data
                .links
                .into_iter()
                .map(|l| LinkDto {
                    id: l.id,
                    purpose: l.purpose,
                    created_at: ts(l.created_at),
                    expires_at: ts(l.expires_at),
                    used_at: opt_ts(l.used_at),
                })
                .collect(),
            comments: data
                .comments
                .into_iter()
                .map(|o| OwnCommentDto {
                    id: o.comment.id.0,
                    hearing_id: o.comment.hearing_id.0,
                    hearing: o.hearing_title,
                    section_id: o.comment.section_id.0,
                    section: format!("{} {}", o.section_number, o.section_title)
                        .trim()
                        .to_owned(),
                    status: o.comment.status.as_str().to_owned(),
                    anonymised: o.comment.anonymised,
                    author_name: o.comment.author_name,
                    body: o.comment.body,
                    quote: o.comment.anchor.map(|a| a.quote),
                    late: o.comment.late,
                    parent_id: o.comment.parent_id.map(|p| p.0),
                    created_at: ts(o.comment.created_at),
                })
                .collect(),
            emails: data
                .emails
                .into_iter()
                .map(|e| EmailDto {
                    id: e.id.0,
                    kind: e.kind,
                    status: e.status.as_str().to_owned(),
                    created_at: ts(e.created_at),
                    sent_at: opt_ts(e.sent_at),
                })
                .collect(),
            hearing_changes: data
                .hearing_changes
                .into_iter()
                .map(|c| ChangeDto {
                    hearing_id: c.hearing_id.0,
                    kind: c.kind,
                    created_at: ts(c.created_at),
                })
                .collect(),
            contact_for: data
                .contact_for
                .into_iter()
                .map(|c| ContactDto {
                    kind: c.kind.to_owned(),
                    id: c.id,
                    title: c.title,
                })
                .collect(),
            email_opt_outs: data.email_opt_outs,
            follows: data
                .follows
                .into_iter()
                .map(|f| FollowDto {
                    hearing_id: f.follow.hearing.0,
                    hearing: f.hearing_title,
                    section_id: f.follow.section.map(|s| s.0),
                    section: f.section,
                    created_at: ts(f.created_at),
                })
                .collect(),
            notice_choices: data
                .notice_choices
                .into_iter()
                .map(|c| NoticeChoiceDto {
                    plan_id: c.plan_id.0,
                    plan: c.plan_title,
                    notices: if c.immediate { "immediate" } else { "digest" }.to_owned(),
                })
                .collect(),
            letters_sent: data
                .letters_sent
                .into_iter()
                .map(|l| SentLetterDto {
                    id: l.id.0,
                    plan_id: l.plan_id.0,
                    sender_name: l.sender_name,
                    sender_contact: l.sender_contact,
                    channel: l.channel.as_str().to_owned(),
                    received_on: l.received_on.to_string(),
                    text: l.text,
                })
                .collect(),
        }
    }
}

/// The export of the signed-in person, as a download.
pub(crate) async fn export_response(state: &AppState, signed_in: &SignedIn) -> Response {
    let service = state.consultation();
    let actor = service.actor_for(signed_in).await;
    let data = match service.person_data(&actor, signed_in.person.id).await {
        Ok(data) => data,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = service.now();
    let export = PersonExport::new(data, signed_in.session, now);
    let day = now.to_zoned(domain::deadline::oslo()).date();
    let mut response = ApiJson(export).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"samrad-export-{day}.json\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Personal data: not for shared caches, not kept in the browser's.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[utoipa::path(get, path = "/api/v1/me/export", tag = "me",
    responses((status = 200, body = PersonExport, description = "everything stored about the signed-in person, as an attachment"),
        (status = 401, body = crate::error::ErrorBody, description = "nobody is signed in")))]
pub async fn export(
    State(state): State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Response {
    match signed_in {
        Some(signed_in) => export_response(&state, &signed_in).await,
        None => {
            ApiError::unauthorized("sign in to download what is stored about you").into_response()
        }
    }
}
