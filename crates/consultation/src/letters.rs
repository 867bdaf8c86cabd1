//! What every email needs beside its content: the letterhead (the municipality as
//! sender, the contact person who signs, the case number) and the public address its
//! links start with, which may be the municipality's own.

use crate::Consultation;
use db::DbError;
use domain::PersonId;
use domain::email::Letterhead;
use domain::hearing::Hearing;
use domain::person::Person;
use domain::plan::{Municipality, Plan};

/// A letter's sender side: the letterhead and where its links point.
#[derive(Debug, Clone)]
pub struct Letter {
    pub letterhead: Letterhead,
    pub base_url: String,
}

impl Letter {
    /// A link into Samråd from a path starting with `/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The letterhead greeting this person by name.
    pub fn to(&self, name: &str) -> Letterhead {
        self.letterhead.clone().to(name)
    }
}

/// One recipient of a notice: the address, the language and the name to greet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub lang: domain::Lang,
    pub name: String,
    pub person: Option<PersonId>,
}

impl From<Person> for Recipient {
    fn from(p: Person) -> Recipient {
        Recipient {
            email: p.email,
            lang: p.lang,
            name: p.name,
            person: Some(p.id),
        }
    }
}

impl Consultation {
    /// The public address of a municipality's links: its own, or the installation's.
    pub fn base_url_of(&self, municipality: &Municipality) -> String {
        municipality.links_from(&self.settings().base_url)
    }

    /// The sender side of a plan's letters (a hearing's contact person first).
    pub async fn plan_letter(
        &self,
        plan: &Plan,
        hearing: Option<&Hearing>,
    ) -> Result<Letter, DbError> {
        let municipality = self.db().municipality(plan.municipality_id).await?;
        Ok(Letter {
            letterhead: Letterhead::of_plan(&municipality, plan, hearing),
            base_url: self.base_url_of(&municipality),
        })
    }

    /// The recipient at an address in their own language: a known person's, else
    /// `fallback` (the language the address was given in, or nynorsk).
    pub async fn recipient_at(
        &self,
        email: &str,
        fallback: domain::Lang,
    ) -> Result<Recipient, DbError> {
        Ok(match self.db().person_by_email(email).await? {
            Some(person) => person.into(),
            None => Recipient {
                email: email.to_owned(),
                lang: fallback,
                name: String::new(),
                person: None,
            },
        })
    }
}
