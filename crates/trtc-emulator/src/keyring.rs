//! The credentials in force, each with what verifying its signatures needs prepared once: the checked
//! [`Credentials`] (SecretKey pads absorbed) and the TC3 signing keys derived for the last few dates.
//!
//! A signing key depends only on the SecretKey, the UTC date and the service, so it is derived once per
//! day rather than per request (three HMACs, more than the signature itself). Replacing a credential
//! replaces its account, cached keys included, so a new SecretKey is never checked with an old key.

use std::sync::{Arc, Mutex};

use trtc_sign::{Credentials, SigningKey, UtcDate};

use crate::config::CredentialEntry;
use crate::lock::lock;

/// How many derived keys an account keeps: requests around midnight UTC carry two dates, and a client
/// whose clock is off may carry a third.
const KEYS_KEPT: usize = 4;

/// One credential and its prepared verification state.
pub(crate) struct Account {
    /// The credential as configured.
    pub(crate) entry: CredentialEntry,
    /// The SecretId and SecretKey as the signer takes them; `None` if the signer refuses them (the
    /// configuration is checked before any credential gets here, so only as a guard).
    credentials: Option<Credentials>,
    /// Derived keys, the most recently derived last.
    keys: Mutex<Vec<Arc<SigningKey>>>,
}

impl Account {
    fn new(entry: CredentialEntry) -> Account {
        let credentials = Credentials::new(entry.secret_id.as_str(), entry.secret_key.as_str()).ok();
        Account {
            entry,
            credentials,
            keys: Mutex::new(Vec::new()),
        }
    }

    /// The signer's credentials, without the session token (checked separately, never signed with).
    pub(crate) fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The key signing `credentials`' requests on `date` for `service`, derived on first use.
    pub(crate) fn signing_key(&self, credentials: &Credentials, date: UtcDate, service: &str) -> Arc<SigningKey> {
        let found = lock(&self.keys)
            .iter()
            .find(|key| key.date() == date && key.service() == service)
            .cloned();
        if let Some(key) = found {
            return key;
        }
        // Derived outside the lock: two requests racing for a new date both derive the same key.
        let key = Arc::new(SigningKey::derive(credentials.secret_key(), date, service));
        let mut keys = lock(&self.keys);
        if keys.len() >= KEYS_KEPT {
            keys.remove(0);
        }
        keys.push(Arc::clone(&key));
        key
    }

    /// How many derived keys are kept, for tests.
    #[cfg(test)]
    fn keys_kept(&self) -> usize {
        lock(&self.keys).len()
    }
}

/// The credentials in force, in the order added.
pub(crate) struct Keyring {
    accounts: Vec<Arc<Account>>,
}

impl Keyring {
    pub(crate) fn new(entries: &[CredentialEntry]) -> Keyring {
        Keyring {
            accounts: entries.iter().cloned().map(|e| Arc::new(Account::new(e))).collect(),
        }
    }

    /// The account of the credential with this SecretId.
    pub(crate) fn find(&self, secret_id: &str) -> Option<&Arc<Account>> {
        self.accounts.iter().find(|a| a.entry.secret_id == secret_id)
    }

    /// The credentials, in the order added.
    pub(crate) fn entries(&self) -> impl Iterator<Item = &CredentialEntry> {
        self.accounts.iter().map(|a| &a.entry)
    }

    /// Adds the credential, replacing one with the same SecretId (and the keys derived from its SecretKey).
    pub(crate) fn add(&mut self, entry: CredentialEntry) {
        self.accounts.retain(|a| a.entry.secret_id != entry.secret_id);
        self.accounts.push(Arc::new(Account::new(entry)));
    }

    /// Lets the credential `secret_id` act on `sdk_app_id`; `false` if no credential has that SecretId.
    pub(crate) fn grant_app(&mut self, secret_id: &str, sdk_app_id: u64) -> bool {
        let Some(account) = self.accounts.iter_mut().find(|a| a.entry.secret_id == secret_id) else {
            return false;
        };
        if !account.entry.sdk_app_ids.contains(&sdk_app_id) {
            // Requests in flight keep the account they found; the key is unchanged, so are its derived keys.
            let mut entry = account.entry.clone();
            entry.sdk_app_ids.push(sdk_app_id);
            let granted = Account {
                entry,
                credentials: account.credentials.clone(),
                keys: Mutex::new(lock(&account.keys).clone()),
            };
            *account = Arc::new(granted);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trtc_sign::Timestamp;

    fn date(secs: u64) -> UtcDate {
        Timestamp::from_secs(secs).unwrap().date()
    }

    #[test]
    fn keys_are_derived_once_per_date_and_service_and_few_are_kept() {
        let account = Account::new(CredentialEntry::new("AKID", "key", [1]));
        let creds = account.credentials().unwrap().clone();
        let first = account.signing_key(&creds, date(0), "trtc");
        assert!(Arc::ptr_eq(&first, &account.signing_key(&creds, date(0), "trtc")));
        assert!(!Arc::ptr_eq(&first, &account.signing_key(&creds, date(0), "cvm")));
        for day in 1..10 {
            let key = account.signing_key(&creds, date(day * 86_400), "trtc");
            assert_eq!(key.date(), date(day * 86_400));
        }
        assert_eq!(account.keys_kept(), KEYS_KEPT);
        assert!(!Arc::ptr_eq(&first, &account.signing_key(&creds, date(0), "trtc")));
    }

    #[test]
    fn replacing_a_credential_drops_its_keys_and_granting_keeps_them() {
        let mut keyring = Keyring::new(&[CredentialEntry::new("AKID", "old", [1])]);
        let account = Arc::clone(keyring.find("AKID").unwrap());
        let creds = account.credentials().unwrap().clone();
        account.signing_key(&creds, date(0), "trtc");

        assert!(keyring.grant_app("AKID", 2));
        let granted = keyring.find("AKID").unwrap();
        assert_eq!(granted.entry.sdk_app_ids, [1, 2]);
        assert_eq!(granted.keys_kept(), 1);
        assert!(!keyring.grant_app("AKIDother", 2));

        keyring.add(CredentialEntry::new("AKID", "new", [1]));
        let replaced = keyring.find("AKID").unwrap();
        assert_eq!(replaced.keys_kept(), 0);
        assert_eq!(replaced.credentials().unwrap().secret_key().expose_secret(), "new");
        assert_eq!(keyring.entries().count(), 1);
    }
}
