//! What an application keeps with the service besides rooms and tasks: hot-word vocabularies, pictures for
//! mixed layouts, voice prints, cloned voices and asynchronous speech tasks. Each is a [`Resource`]: its
//! kind, its owner (the application, or for voice prints the key that registered them), its id and its
//! members as the API describes them. What each action does with them is `actions/resources.rs`.

use serde_json::{Map, Value};

/// The kinds of resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A hot-word vocabulary (`CreateRecognizeVocabV3`).
    Vocabulary,
    /// A picture for mixed layouts (`CreatePicture`).
    Picture,
    /// A registered voice print (`RegisterVoicePrint`).
    VoicePrint,
    /// A cloned voice (`VoiceClone`).
    Voice,
    /// An asynchronous speech synthesis (`AsyncTextToSpeech`).
    SpeechTask,
}

/// One resource.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) kind: Kind,
    /// The application's id as text, or the SecretId that registered a voice print.
    pub(crate) owner: String,
    pub(crate) id: String,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    /// Its members, as the describe actions answer them.
    pub(crate) members: Map<String, Value>,
}

/// Every resource, oldest first.
#[derive(Debug, Default, Clone)]
pub(crate) struct Resources {
    all: Vec<Resource>,
    issued: u64,
}

impl Resources {
    /// A number never issued before, for ids.
    pub(crate) fn next_serial(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    pub(crate) fn insert(&mut self, resource: Resource) {
        self.all.push(resource);
    }

    /// The owner's resources of a kind, oldest first.
    pub(crate) fn of<'a>(&'a self, kind: Kind, owner: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.all.iter().filter(move |r| r.kind == kind && r.owner == owner)
    }

    /// The owner's resources of a kind, to change.
    pub(crate) fn of_mut<'a>(&'a mut self, kind: Kind, owner: &'a str) -> impl Iterator<Item = &'a mut Resource> + 'a {
        self.all.iter_mut().filter(move |r| r.kind == kind && r.owner == owner)
    }

    /// The owner's resource of a kind with this id.
    pub(crate) fn get(&self, kind: Kind, owner: &str, id: &str) -> Option<&Resource> {
        self.all
            .iter()
            .find(|r| r.kind == kind && r.owner == owner && r.id == id)
    }

    /// The owner's resource of a kind with this id, to change.
    pub(crate) fn get_mut(&mut self, kind: Kind, owner: &str, id: &str) -> Option<&mut Resource> {
        self.all
            .iter_mut()
            .find(|r| r.kind == kind && r.owner == owner && r.id == id)
    }

    /// Removes the owner's resource of a kind with this id; whether it was there.
    pub(crate) fn remove(&mut self, kind: Kind, owner: &str, id: &str) -> bool {
        let before = self.all.len();
        self.all.retain(|r| !(r.kind == kind && r.owner == owner && r.id == id));
        self.all.len() != before
    }
}
