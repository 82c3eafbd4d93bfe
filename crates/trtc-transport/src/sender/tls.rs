//! The TLS side of the default transport: which root certificates are trusted, and what a failed handshake
//! means in words a user can act on.
//!
//! Verification is always on: there is deliberately no way to accept an untrusted certificate. A private CA
//! is trusted by adding it, not by turning checks off.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, RootCertStore};

use crate::{TransportError, TransportErrorKind};

/// Which roots the transport trusts.
#[derive(Clone, Debug)]
pub(crate) struct TrustSettings {
    pub(crate) webpki_roots: bool,
    #[cfg(feature = "native-roots")]
    pub(crate) native_roots: bool,
    /// PEM files as given, parsed when the transport is built so that an error can name them.
    pub(crate) extra_pem: Vec<Vec<u8>>,
}

impl Default for TrustSettings {
    fn default() -> Self {
        TrustSettings {
            webpki_roots: true,
            #[cfg(feature = "native-roots")]
            native_roots: false,
            extra_pem: Vec::new(),
        }
    }
}

/// A rustls client configuration (ring provider, TLS 1.2 and 1.3) trusting the roots in `trust`, without
/// ALPN (the connector builder sets it).
pub(crate) fn client_config(trust: &TrustSettings) -> Result<rustls::ClientConfig, TransportError> {
    let mut roots = RootCertStore::empty();
    if trust.webpki_roots {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    #[cfg(feature = "native-roots")]
    if trust.native_roots {
        add_native_roots(&mut roots)?;
    }
    for (index, pem) in trust.extra_pem.iter().enumerate() {
        add_pem(&mut roots, index, pem)?;
    }
    if roots.is_empty() {
        return Err(config_error(
            "no root certificates are trusted: keep the built-in roots (webpki_roots(true)) or add a CA with \
             add_root_certificates_pem"
                .to_string(),
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| config_error(format!("the TLS provider cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

fn add_pem(roots: &mut RootCertStore, index: usize, pem: &[u8]) -> Result<(), TransportError> {
    let which = format!("add_root_certificates_pem (call {})", index + 1);
    let mut added = 0usize;
    for (number, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| {
            config_error(format!(
                "{which}: certificate {} is not valid PEM ({e}); give the CA's -----BEGIN CERTIFICATE----- block",
                number + 1
            ))
        })?;
        roots.add(cert).map_err(|e| {
            config_error(format!(
                "{which}: certificate {} cannot be used as a trust anchor: {e}",
                number + 1
            ))
        })?;
        added += 1;
    }
    if added == 0 {
        return Err(config_error(format!(
            "{which}: no -----BEGIN CERTIFICATE----- block found; give the CA certificate in PEM form"
        )));
    }
    Ok(())
}

#[cfg(feature = "native-roots")]
fn add_native_roots(roots: &mut RootCertStore) -> Result<(), TransportError> {
    let found = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        return Err(config_error(format!(
            "native_roots(true): no usable certificate in the operating system's trust store ({}); install the \
             ca-certificates package or set SSL_CERT_FILE",
            if errors.is_empty() {
                "it is empty".to_string()
            } else {
                errors.join("; ")
            }
        )));
    }
    Ok(())
}

/// Why a handshake failed, in words that say what to do.
pub(crate) fn explain(error: &rustls::Error) -> String {
    use rustls::Error as E;
    match error {
        E::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => "the server's certificate is not trusted (unknown issuer): if the \
                server uses a private CA, add it with add_root_certificates_pem"
                .into(),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the server's certificate has expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (check this machine's clock)".into()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "the server's certificate is for another name (name mismatch)".into()
            }
            CertificateError::Revoked => "the server's certificate has been revoked".into(),
            CertificateError::BadSignature => "the server's certificate has a bad signature".into(),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                "the server's certificate is not for TLS servers (invalid purpose)".into()
            }
            _ => "the server's certificate was refused".into(),
        },
        E::InvalidMessage(_) | E::PeerSentOversizedRecord | E::InappropriateMessage { .. } => {
            "the server did not answer with TLS (is this a plain HTTP port?)".into()
        }
        E::AlertReceived(alert) => format!("the server ended the handshake with the TLS alert {alert:?}"),
        E::PeerIncompatible(_) | E::NoApplicationProtocol => {
            "the server supports no TLS version, cipher or protocol in common with this client".into()
        }
        E::NoCertificatesPresented => "the server presented no certificate".into(),
        _ => "the handshake was refused".into(),
    }
}

fn config_error(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::Config, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_errors_say_which_call_and_what_to_give() {
        let trust = TrustSettings {
            extra_pem: vec![b"not a certificate".to_vec()],
            ..TrustSettings::default()
        };
        let err = client_config(&trust).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Config);
        assert!(
            err.to_string()
                .contains("add_root_certificates_pem (call 1): no -----BEGIN CERTIFICATE"),
            "{err}"
        );

        let trust = TrustSettings {
            extra_pem: vec![b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".to_vec()],
            ..TrustSettings::default()
        };
        let err = client_config(&trust).unwrap_err();
        assert!(err.to_string().contains("certificate 1 is not valid PEM"), "{err}");
    }

    #[test]
    fn an_empty_trust_store_is_refused() {
        let trust = TrustSettings {
            webpki_roots: false,
            ..TrustSettings::default()
        };
        let err = client_config(&trust).unwrap_err();
        assert!(err.to_string().contains("no root certificates are trusted"), "{err}");
    }

    #[cfg(feature = "native-roots")]
    #[test]
    fn native_roots_alone_are_enough_when_the_system_has_some() {
        let trust = TrustSettings {
            webpki_roots: false,
            native_roots: true,
            ..TrustSettings::default()
        };
        match client_config(&trust) {
            Ok(_) => {}
            // A machine without a CA bundle gets the explanation, never an empty trust store.
            Err(e) if !std::path::Path::new("/etc/ssl/certs/ca-certificates.crt").exists() => {
                assert!(
                    e.to_string().starts_with("native_roots(true): no usable certificate"),
                    "{e}"
                );
            }
            Err(e) => panic!("the system's CA bundle should load: {e}"),
        }
    }

    #[test]
    fn default_trusts_the_webpki_roots() {
        assert!(client_config(&TrustSettings::default()).is_ok());
    }
}
