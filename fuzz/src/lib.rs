//! What each fuzz target checks, kept apart from the `fuzz_target!` shells so a crash input can be replayed
//! from a test or a debugger.
//!
//! Every target asserts more than "no panic": the envelope parser keeps the status and bounds its snippet,
//! the signer's output is always sendable and never holds the SecretKey, the emulator answers or closes
//! every connection, the credentials file reader never repeats a secret value in its errors, the UserSig
//! verifier accepts only what was signed with its key, and the callback verifier accepts only what is signed
//! and within its limit, and reads back what it accepts.

pub mod callback_verify;
pub mod credentials_file;
pub mod emulator_request;
pub mod response_envelope;
pub mod sign_inputs;
pub mod usersig_verify;
