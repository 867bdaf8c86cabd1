//! Who a hearing's opening or closing tells (see [`domain::hearing_notice`]).

use crate::{Db, DbError};
use domain::Lang;
use domain::email::OutgoingEmail;
use domain::hearing::{Hearing, Transition};
use domain::hearing_notice::{Addressee, state_emails, tells_participants};
use std::collections::BTreeMap;

impl Db {
    /// The members of the plan's groups, and on closing also everyone who gave input
    /// (published comments and official responses), each once and in their own
    /// language (an address that is no person's in nynorsk).
    pub async fn hearing_audience(
        &self,
        hearing: &Hearing,
        transition: Transition,
    ) -> Result<Vec<Addressee>, DbError> {
        let mut by_address: BTreeMap<String, Addressee> = BTreeMap::new();
        if !tells_participants(transition) {
            return Ok(Vec::new());
        }
        for invitee in self.invitees(hearing).await? {
            let p = invitee.person;
            by_address.insert(
                p.email.clone(),
                Addressee {
                    email: p.email,
                    lang: p.lang,
                    name: p.name,
                },
            );
        }
        if transition == Transition::Close {
            let mut addresses = self.commenter_emails(hearing.id).await?;
            for response in self.responses_of_hearing(hearing.id).await? {
                match self.person_record(response.person_id).await {
                    Ok(r) if r.anonymised_at.is_none() => addresses.push(r.person.email),
                    Ok(_) | Err(DbError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            for address in addresses {
                if by_address.contains_key(&address) {
                    continue;
                }
                let addressee = match self.person_by_email(&address).await? {
                    Some(p) => Addressee {
                        email: address.clone(),
                        lang: p.lang,
                        name: p.name,
                    },
                    None => Addressee {
                        email: address.clone(),
                        lang: Lang::Nn,
                        name: String::new(),
                    },
                };
                by_address.insert(address, addressee);
            }
        }
        Ok(by_address.into_values().collect())
    }

    /// The letters `transition` of `hearing` sends, ready to queue with it.
    pub async fn hearing_state_emails(
        &self,
        hearing: &Hearing,
        transition: Transition,
        installation_url: &str,
    ) -> Result<Vec<OutgoingEmail>, DbError> {
        let audience = self.hearing_audience(hearing, transition).await?;
        if audience.is_empty() {
            return Ok(Vec::new());
        }
        let plan = self.plan(hearing.plan_id).await?;
        let municipality = self.municipality(hearing.municipality_id).await?;
        Ok(state_emails(
            hearing,
            &plan,
            &municipality,
            transition,
            &audience,
            installation_url,
        ))
    }
}
