//! `trtc usersig`: mint a UserSig or PrivateMapKey, or verify one (`trtc usersig verify`).
//!
//! The SDK secret key comes from `TRTC_SDK_SECRET_KEY` or `--key-file`, never from a flag's value: argv is
//! visible to every user of the machine.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use trtc::usersig::{unix_now, Error, Issuer, Privileges, Room, Secret, DEFAULT_EXPIRE};

use crate::exit::Failure;

/// The environment variable holding the SDK secret key.
pub(crate) const KEY_VAR: &str = "TRTC_SDK_SECRET_KEY";

/// Exit code of a string that failed verification.
const EXIT_INVALID: u8 = 1;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct UsersigArgs {
    #[command(subcommand)]
    pub verify: Option<UsersigCommand>,
    #[command(flatten)]
    pub mint: MintArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UsersigCommand {
    /// Verify a UserSig or PrivateMapKey; prints its fields as one JSON object, or exits 1 naming the failed
    /// check (expired, signature, identifier, sdk_app_id, malformed, userbuf).
    #[command(after_help = "Examples:
  TRTC_SDK_SECRET_KEY=... trtc usersig verify --sdk-app-id 1400000000 --user-id alice --sig eJw...
  trtc usersig --sdk-app-id 1400000000 --user-id alice --key-file key.txt \\
      | trtc usersig verify --sdk-app-id 1400000000 --user-id alice --key-file key.txt --sig -

Exit codes:
  0    valid: the fields on stdout
  1    invalid: one line on stderr naming the check that failed
  2    bad arguments, or no SDK secret key")]
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("room").args(["room_id", "str_room_id"]))]
pub(crate) struct MintArgs {
    /// The application's SdkAppId.
    #[arg(long, required = true, value_name = "N", allow_negative_numbers = true)]
    pub sdk_app_id: Option<u32>,
    /// The user id the string is for.
    #[arg(long, required = true, value_name = "U")]
    pub user_id: Option<String>,
    /// Lifetime in seconds from --time [default: 15552000, 180 days].
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub expire: Option<u32>,
    /// Minting time, seconds since the Unix epoch [default: now].
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub time: Option<u64>,
    /// Mint a PrivateMapKey for this numeric room.
    #[arg(long, value_name = "R", allow_negative_numbers = true, requires = "privilege_map")]
    pub room_id: Option<u32>,
    /// Mint a PrivateMapKey for this string room.
    #[arg(long, value_name = "S", requires = "privilege_map")]
    pub str_room_id: Option<String>,
    /// The PrivateMapKey's privileges: a number (255 all) or names, e.g. enter,recv-audio,recv-video (create-room,
    /// enter, send-audio, recv-audio, send-video, recv-video, send-substream, recv-substream, all).
    #[arg(long, value_name = "M", requires = "room")]
    pub privilege_map: Option<String>,
    /// Read the SDK secret key from this file instead of $TRTC_SDK_SECRET_KEY.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The application's SdkAppId.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub sdk_app_id: u32,
    /// The user id the string must be for.
    #[arg(long, value_name = "U")]
    pub user_id: String,
    /// The UserSig or PrivateMapKey; - reads it from stdin.
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub sig: String,
    /// Verify at this time, seconds since the Unix epoch [default: now].
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub time: Option<u64>,
    /// Read the SDK secret key from this file instead of $TRTC_SDK_SECRET_KEY.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

pub(crate) fn run(args: UsersigArgs) -> Result<(), Failure> {
    match args.verify {
        Some(UsersigCommand::Verify(verify_args)) => verify(verify_args),
        None => mint(args.mint),
    }
}

fn mint(args: MintArgs) -> Result<(), Failure> {
    // Required by clap unless a subcommand is given, and a subcommand conflicts with these arguments.
    let (Some(sdk_app_id), Some(user_id)) = (args.sdk_app_id, args.user_id) else {
        return Err(Failure::bad_input(
            "--sdk-app-id and --user-id are required; run with --help for usage",
        ));
    };
    let issuer = issuer(sdk_app_id, args.key_file.as_deref())?;
    let time = match args.time {
        Some(time) => time,
        None => unix_now().map_err(input)?,
    };
    let expire = args.expire.unwrap_or(DEFAULT_EXPIRE);
    let room = match (args.room_id, args.str_room_id) {
        (Some(id), _) => Some(Room::numeric(id).map_err(input)?),
        (None, Some(id)) => Some(Room::string(id).map_err(input)?),
        (None, None) => None,
    };
    let sig = match room {
        None => issuer.user_sig(&user_id, time, expire),
        Some(room) => {
            // clap requires --privilege-map with a room.
            let map = args.privilege_map.as_deref().unwrap_or_default();
            let privileges = Privileges::parse(map).map_err(input)?;
            issuer.private_map_key(&user_id, &room, privileges, time, expire)
        }
    }
    .map_err(input)?;
    println!("{sig}");
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let issuer = issuer(args.sdk_app_id, args.key_file.as_deref())?;
    let sig = if args.sig == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(1 << 20)
            .read_to_string(&mut text)
            .map_err(|e| Failure::bad_input(format!("--sig -: cannot read stdin: {e}")))?;
        text.trim().to_owned()
    } else {
        args.sig
    };
    let now = match args.time {
        Some(time) => time,
        None => unix_now().map_err(input)?,
    };
    let claims = issuer.verify(&args.user_id, &sig, now).map_err(|e| match e {
        Error::Rejected { .. } => Failure::with_code(e.to_string(), EXIT_INVALID),
        other => input(other),
    })?;
    let mut printed = json!({
        "kind": if claims.private_map.is_some() { "private_map_key" } else { "user_sig" },
        "identifier": claims.identifier,
        "sdk_app_id": claims.sdk_app_id,
        "time": claims.time,
        "expire": claims.expire,
        "expires_at": claims.expires_at(),
    });
    if let Some(map) = &claims.private_map {
        match &map.room {
            Room::Numeric(id) => printed["room_id"] = json!(id),
            Room::Str(id) => printed["str_room_id"] = json!(id),
            _ => {}
        }
        printed["privilege_map"] = json!(map.privileges.bits());
        let names: Vec<Value> = Privileges::NAMED
            .iter()
            .filter(|(_, bit)| map.privileges.contains(*bit))
            .map(|(name, _)| Value::from(*name))
            .collect();
        printed["privileges"] = Value::Array(names);
        printed["private_map_expires_at"] = json!(map.expires_at);
    }
    println!("{printed}");
    Ok(())
}

/// The issuer for the application, with the key from `--key-file` or the environment.
fn issuer(sdk_app_id: u32, key_file: Option<&Path>) -> Result<Issuer, Failure> {
    let key = match key_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::bad_input(format!("--key-file {}: {e}", path.display())))?;
            // A file ends with a newline; the key itself never does.
            Secret::new(text.trim_end_matches(['\r', '\n']))
        }
        None => match std::env::var(KEY_VAR) {
            Ok(value) => Secret::new(value),
            Err(_) => {
                return Err(Failure::bad_input(format!(
                    "no SDK secret key: set {KEY_VAR} or pass --key-file FILE (the key of the TRTC console's UserSig tools)"
                )))
            }
        },
    };
    Issuer::new(sdk_app_id, key).map_err(input)
}

/// An input error as the flag at fault (`--user-id: must be at most 32 bytes ...`).
fn input(e: Error) -> Failure {
    match &e {
        Error::InvalidInput {
            field: "sdk_secret_key",
            problem,
        } => Failure::bad_input(format!("the SDK secret key ({KEY_VAR} or --key-file) {problem}")),
        Error::InvalidInput { field, problem } => {
            Failure::bad_input(format!("--{}: {problem}", field.replace('_', "-")))
        }
        _ => Failure::bad_input(e.to_string()),
    }
}
