//! The command line's grammar: subcommands, flags and their value parsers.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, shown under every subcommand's help (docs/cli.md has the same table).
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0    success (a batch: every room dismissed or already gone)
  1    the service answered with an error code (code, message and RequestId on stderr)
  2    bad input: arguments, credentials, endpoint, a bad line in --room-ids-file (one line on stderr with the fix)
  3    network failure, timeout, or an answer that is not an API envelope
  4    internal failure (including a report file that cannot be written)
  130  a batch stopped by Ctrl-C or SIGTERM (rerun the same command to resume)"
    };
}

/// Where credentials come from, shown under the help of every subcommand that calls the service.
macro_rules! credentials_help {
    () => {
        "Credentials: with --profile NAME, the [NAME] profile of the credentials file ($TENCENTCLOUD_CREDENTIALS_FILE,
~/.tencentcloud/credentials or /etc/tencentcloud/credentials); otherwise the first of TENCENTCLOUD_SECRET_ID +
TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN), the [default] profile, the CVM instance role (off CVM
this step gives up within 1 s), TKE OIDC. RUST_LOG=trtc_transport=debug logs each attempt on stderr."
    };
}

/// The TRTC server API from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "trtc",
    version,
    about,
    after_help = concat!(
        "Examples:
  trtc dismiss-room --emulator --sdk-app-id 1400000001 --room-id 1234
  trtc dismiss-room --sdk-app-id 1400000001 --room-id 1234 --region ap-guangzhou
  trtc dismiss-room --sdk-app-id 1400000001 --room-ids-file rooms.txt --report report.jsonl --region ap-guangzhou
  trtc call DescribeRoomInfo --service trtc --version 2019-07-22 --region ap-guangzhou \\
      --json '{\"SdkAppId\":1400000001,\"StartTime\":1700000000,\"EndTime\":1700003600}'

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    )
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Dismiss a room: remove every user and close it (DismissRoom); or many rooms from a file.
    #[command(after_help = concat!(
        "Examples:
  trtc dismiss-room --emulator --sdk-app-id 1400000001 --room-id 1234
  trtc dismiss-room --sdk-app-id 1400000001 --room-id 1234 --region ap-guangzhou
  trtc dismiss-room --sdk-app-id 1400000001 --room-id 1234 --region ap-guangzhou --profile prod --output text

Batch: one room id per line (blank lines and # comments ignored; - reads stdin). Each result is appended to
the report as a JSON line, {\"RoomId\":N,\"RequestId\":\"...\"} or {\"RoomId\":N,\"Error\":{\"Code\":\"...\",\"Message\":\"...\"}};
the same command run again skips the rooms the report shows dismissed or FailedOperation.RoomNotExist.
  trtc dismiss-room --sdk-app-id 1400000001 --room-ids-file rooms.txt --report report.jsonl --region ap-guangzhou
  seq 1 500 | trtc dismiss-room --sdk-app-id 1400000001 --room-ids-file - --report report.jsonl --region ap-guangzhou

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    DismissRoom(DismissRoomArgs),
    /// Dismiss a room that has a string id (DismissRoomByStrRoomId).
    #[command(after_help = concat!(
        "Example:
  trtc dismiss-room-by-str-room-id --sdk-app-id 1400000001 --str-room-id class-7 --region ap-guangzhou

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    DismissRoomByStrRoomId(DismissRoomByStrRoomIdArgs),
    /// Remove users from a room (RemoveUser).
    #[command(after_help = concat!(
        "Examples:
  trtc remove-user --sdk-app-id 1400000001 --room-id 1234 --user-ids alice,bob --region ap-guangzhou
  trtc remove-user --sdk-app-id 1400000001 --room-id 1234 --user-ids alice --user-ids bob --region ap-guangzhou

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    RemoveUser(RemoveUserArgs),
    /// Remove users from a room that has a string id (RemoveUserByStrRoomId).
    #[command(after_help = concat!(
        "Example:
  trtc remove-user-by-str-room-id --sdk-app-id 1400000001 --str-room-id class-7 --user-ids alice,bob --region ap-guangzhou

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    RemoveUserByStrRoomId(RemoveUserByStrRoomIdArgs),
    /// Disable or enable a user's audio and video in a room (SetUserBlocked).
    #[command(after_help = concat!(
        "Examples:
  trtc set-user-blocked --sdk-app-id 1400000001 --room-id 1234 --user-id alice --is-mute 1 --region ap-singapore
  trtc set-user-blocked --sdk-app-id 1400000001 --room-id 1234 --user-id alice --is-mute 0 --region ap-singapore

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    SetUserBlocked(SetUserBlockedArgs),
    /// Disable or enable a user's audio and video in a room that has a string id (SetUserBlockedByStrRoomId).
    #[command(after_help = concat!(
        "Example:
  trtc set-user-blocked-by-str-room-id --sdk-app-id 1400000001 --str-room-id class-7 --user-id alice --is-mute 2 \\
      --region ap-singapore

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    SetUserBlockedByStrRoomId(SetUserBlockedByStrRoomIdArgs),
    /// Call any action of any Tencent Cloud API 3.0 service with a JSON body; prints the Response object.
    #[command(after_help = concat!(
        "A TRTC action (see `trtc actions`) with --service and --version omitted is typed: the body is read into the
action's request type first (a wrong type, a missing or an unknown member exits 2 naming the member's path),
and the answer is printed from its response type. --raw sends the body as given and prints the Response as
received. `trtc actions <Action>` lists an action's members.

Examples:
  trtc call CreateCloudRecording --region ap-guangzhou --json @recording.json
  trtc call DismissRoom --service trtc --version 2019-07-22 --region ap-guangzhou \\
      --json '{\"SdkAppId\":1400000001,\"RoomId\":1234}'
  trtc call DescribeInstances --service cvm --version 2017-03-12 --region ap-guangzhou --json '{\"Limit\":1}'
  trtc call DismissRoom --service trtc --version 2019-07-22 --region ap-guangzhou --json @body.json
  echo '{\"SdkAppId\":1400000001,\"RoomId\":1234}' | trtc call DismissRoom --service trtc --version 2019-07-22 --json -

",
        exit_codes!(),
        "\n\n",
        credentials_help!()
    ))]
    Call(CallArgs),
    /// List the typed TRTC actions (name, editions, summary), or one action's request members.
    #[command(after_help = "Examples:
  trtc actions
  trtc actions CreateCloudRecording

Exit codes:
  0    printed
  2    no such action")]
    Actions(crate::actions::ActionsArgs),
    /// Run a local TRTC emulator that verifies signatures, until killed.
    #[command(after_help = concat!(
        "Examples:
  trtc emulator --listen 127.0.0.1:9000 --secret-id AKIDdemo --secret-key demokey --sdk-app-id 1400000001 --room 1234
  trtc emulator --config emulator.json --fault internal-error@rate=0.1 --fault-seed 7

",
        exit_codes!()
    ))]
    Emulator(EmulatorArgs),
    /// Sign a request and print the canonical request, string to sign and headers (for debugging SignatureFailure).
    #[command(after_help = concat!(
        "Example:
  trtc sign --service trtc --host trtc.tencentcloudapi.com --action DismissRoom --version 2019-07-22 \\
      --timestamp 1700000000 --region ap-guangzhou --payload '{\"SdkAppId\":1400000001,\"RoomId\":1234}'

Credentials come from TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN.

",
        exit_codes!()
    ))]
    Sign(SignArgs),
    /// Print a shell completion script on stdout (bash, zsh, fish, powershell, elvish).
    #[command(after_help = concat!(
        "Examples:
  trtc completions bash > ~/.local/share/bash-completion/completions/trtc
  trtc completions zsh > ~/.zfunc/_trtc        # with fpath+=(~/.zfunc) before compinit in ~/.zshrc
  trtc completions fish > ~/.config/fish/completions/trtc.fish
  trtc completions powershell >> $PROFILE
  trtc completions elvish >> ~/.config/elvish/rc.elv

",
        exit_codes!()
    ))]
    Completions(CompletionsArgs),
    /// Mint a UserSig (or, with a room and --privilege-map, a PrivateMapKey) and print it; `verify` checks one.
    #[command(after_help = "Examples:
  export TRTC_SDK_SECRET_KEY=...   # or --key-file FILE; never a flag value
  trtc usersig --sdk-app-id 1400000000 --user-id alice
  trtc usersig --sdk-app-id 1400000000 --user-id alice --expire 86400 --room-id 1234 --privilege-map enter,recv-audio
  trtc usersig --sdk-app-id 1400000000 --user-id alice --str-room-id lobby --privilege-map 255
  trtc usersig verify --sdk-app-id 1400000000 --user-id alice --sig -

Exit codes:
  0    printed
  1    (verify) the string is invalid: one line on stderr naming the check that failed
  2    bad arguments, or no SDK secret key (one line on stderr with the fix)")]
    Usersig(crate::usersig::UsersigArgs),
    /// Receive TRTC event callbacks and verify their signatures (listen, verify).
    #[command(subcommand)]
    Callbacks(crate::callbacks::CallbacksCommand),
}

/// How a result is printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// One JSON object, e.g. {"RequestId":"..."} (for scripts).
    Json,
    /// A sentence for people.
    Text,
}

/// The flags of every subcommand that calls the service.
#[derive(Debug, Args)]
pub(crate) struct ServiceArgs {
    /// The region: ap-beijing, ap-guangzhou or ap-singapore for the room actions.
    #[arg(long)]
    pub region: Option<String>,
    /// Where to send: https://host, a bare host (HTTPS), or http://127.0.0.1:PORT [default: trtc.tencentcloudapi.com].
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Sign with this profile of the credentials file instead of the default chain.
    #[arg(long)]
    pub profile: Option<String>,
    /// How to print the result on stdout.
    #[arg(long, value_enum, default_value_t = Output::Json)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub(crate) struct DismissRoomArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The numeric room id.
    #[arg(
        long,
        value_parser = parse_id,
        allow_negative_numbers = true,
        required_unless_present = "room_ids_file",
        conflicts_with = "room_ids_file"
    )]
    pub room_id: Option<u64>,
    /// Dismiss every room listed in this file, one id per line (- reads stdin); needs --report.
    #[arg(long, requires = "report", value_name = "PATH")]
    pub room_ids_file: Option<PathBuf>,
    /// The batch's report: one JSON line per room, appended; rooms it shows done are skipped on a rerun.
    #[arg(long, requires = "room_ids_file", value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Batch: how many requests may be in flight at once (the rate stays within 20 per second).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), requires = "room_ids_file")]
    pub concurrency: u16,
    /// Batch: share the 20 requests per second with every other process using this Redis (redis://[:password@]host:port[/db],
    /// rediss://... for TLS);
    /// if Redis stops answering, this process falls back to its own 20 per second.
    #[arg(long, value_name = "URL", requires = "room_ids_file", conflicts_with = "emulator")]
    pub rate_limit_redis: Option<String>,
    /// Start an emulator in this process, create the room(s) and dismiss them there: no credentials, no network.
    #[arg(long, conflicts_with_all = ["endpoint", "profile"])]
    pub emulator: bool,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DismissRoomByStrRoomIdArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The string room id (1 to 64 bytes: letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,).
    #[arg(long)]
    pub str_room_id: String,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RemoveUserArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The numeric room id.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub room_id: u64,
    /// The users to remove, 1 to 10: repeat the flag or separate with commas.
    #[arg(long, required = true, value_delimiter = ',')]
    pub user_ids: Vec<String>,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RemoveUserByStrRoomIdArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The string room id.
    #[arg(long)]
    pub str_room_id: String,
    /// The users to remove, 1 to 10: repeat the flag or separate with commas.
    #[arg(long, required = true, value_delimiter = ',')]
    pub user_ids: Vec<String>,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SetUserBlockedArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The numeric room id.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub room_id: u64,
    /// The user.
    #[arg(long)]
    pub user_id: String,
    /// 0 enable audio and video; 1 disable both; 2 disable audio; 3 disable video.
    #[arg(long, value_parser = parse_is_mute, allow_negative_numbers = true)]
    pub is_mute: u64,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SetUserBlockedByStrRoomIdArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The string room id.
    #[arg(long)]
    pub str_room_id: String,
    /// The user.
    #[arg(long)]
    pub user_id: String,
    /// 0 enable audio and video; 1 disable both; 2 disable audio; 3 disable video.
    #[arg(long, value_parser = parse_is_mute, allow_negative_numbers = true)]
    pub is_mute: u64,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    /// The action, e.g. DismissRoom or DescribeInstances.
    pub action: String,
    /// The service (product) name, e.g. trtc or cvm [default: trtc].
    #[arg(long)]
    pub service: Option<String>,
    /// The action's API version, e.g. 2019-07-22 [default: 2019-07-22 for trtc; required for other services].
    #[arg(long)]
    pub version: Option<String>,
    /// Send the body as given and print the Response object as received, even for a typed TRTC action.
    #[arg(long)]
    pub raw: bool,
    /// The request body: a JSON object, @FILE to read it from a file, or - to read it from stdin.
    #[arg(long, value_name = "BODY")]
    pub json: String,
    /// The region sent as X-TC-Region [default: ap-guangzhou].
    #[arg(long)]
    pub region: Option<String>,
    /// Where to send [default: <service>.tencentcloudapi.com].
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Sign with this profile of the credentials file instead of the default chain.
    #[arg(long)]
    pub profile: Option<String>,
    /// How to print the Response object: json (one line) or text (indented).
    #[arg(long, value_enum, default_value_t = Output::Json)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to generate the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// Address to listen on; loopback only unless --allow-non-loopback [default: 127.0.0.1:0, or the config file's].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Listen on a non-loopback address (the emulator is then reachable from the network).
    #[arg(long)]
    pub allow_non_loopback: bool,
    /// The SecretId the emulator accepts (with --secret-key and --sdk-app-id; optional with --config).
    #[arg(long)]
    pub secret_id: Option<String>,
    /// The SecretKey the emulator accepts.
    #[arg(long)]
    pub secret_key: Option<SecretArg>,
    /// The application the credential owns.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: Option<u64>,
    /// A numeric room to create at start in --sdk-app-id (repeatable).
    #[arg(long = "room", value_parser = parse_id, allow_negative_numbers = true)]
    pub rooms: Vec<u64>,
    /// Numeric rooms FIRST-LAST (inclusive) to create at start in --sdk-app-id (repeatable), e.g. 1-10000.
    #[arg(long = "room-range", value_parser = parse_room_range)]
    pub room_ranges: Vec<(u64, u64)>,
    /// A string room to create at start in --sdk-app-id (repeatable).
    #[arg(long = "str-room")]
    pub str_rooms: Vec<String>,
    /// Make --secret-id a temporary credential: every request must carry this token as X-TC-Token (the
    /// Token parameter of a v1 request).
    #[arg(long)]
    pub token: Option<SecretArg>,
    /// A JSON configuration file (credentials, rooms and users, rate limit, faults); see docs/emulator.md.
    /// The other flags add to it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Requests per second allowed for each action and application (0: unlimited) [default: 20].
    #[arg(long)]
    pub rate_limit: Option<u32>,
    /// Inject a fault (repeatable): KIND[=DELAY]@TRIGGER, e.g. latency=250ms@rate=0.5, drop@next=3,
    /// bad-gateway@rate=0.1, internal-error@next=2.
    #[arg(long = "fault")]
    pub faults: Vec<String>,
    /// Seed of the PRNG that draws for fault rates, for reproducible runs [default: 0, or the config file's].
    #[arg(long)]
    pub fault_seed: Option<u64>,
    /// Do not serve the admin API under /_emulator/.
    #[arg(long)]
    pub no_admin_api: bool,
    /// The SDK secret key of --sdk-app-id, for POST /_emulator/enter and the bots' UserSigs, read from this
    /// file [default: $TRTC_SDK_SECRET_KEY when set].
    #[arg(
        long,
        value_name = "FILE",
        requires = "sdk_app_id",
        conflicts_with = "sdk_secret_key"
    )]
    pub sdk_secret_key_file: Option<PathBuf>,
    /// The SDK secret key of --sdk-app-id itself, for a test key (argv is visible to every user of the
    /// machine: a real key belongs in --sdk-secret-key-file or $TRTC_SDK_SECRET_KEY).
    #[arg(long, value_name = "KEY", requires = "sdk_app_id")]
    pub sdk_secret_key: Option<SecretArg>,
    /// With an SDK secret key: entering a room of --sdk-app-id needs a PrivateMapKey for it with the enter bit.
    #[arg(long)]
    pub permission_control: bool,
}

/// A secret given as a flag's value: `Debug` prints `***`, so printing the arguments never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretArg(String);

impl SecretArg {
    /// The secret itself.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for SecretArg {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<SecretArg, Self::Err> {
        Ok(SecretArg(s.to_owned()))
    }
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The service (product) name, e.g. trtc or cvm.
    #[arg(long)]
    pub service: String,
    /// The Host header exactly as sent.
    #[arg(long)]
    pub host: String,
    /// The action, e.g. DismissRoom.
    #[arg(long)]
    pub action: String,
    /// The API version, e.g. 2019-07-22.
    #[arg(long)]
    pub version: String,
    /// The request time in seconds since the Unix epoch.
    #[arg(long)]
    pub timestamp: u64,
    /// The region sent as X-TC-Region.
    #[arg(long)]
    pub region: Option<String>,
    /// POST or GET.
    #[arg(long, default_value = "POST", value_parser = ["POST", "GET"])]
    pub method: String,
    /// The Content-Type [default: application/json for POST, application/x-www-form-urlencoded for GET].
    #[arg(long)]
    pub content_type: Option<String>,
    /// The body, exactly as sent (POST).
    #[arg(long, conflicts_with_all = ["payload_file", "query"])]
    pub payload: Option<String>,
    /// A file holding the body, exactly as sent (POST).
    #[arg(long, conflicts_with = "query")]
    pub payload_file: Option<PathBuf>,
    /// The query string, exactly as sent, without the '?' (GET).
    #[arg(long)]
    pub query: Option<String>,
    /// The signed header set.
    #[arg(long, default_value = "content-type;host", value_parser = ["content-type;host", "content-type;host;x-tc-action"])]
    pub signed_headers: String,
    /// Sign UNSIGNED-PAYLOAD instead of the body's hash.
    #[arg(long)]
    pub unsigned_payload: bool,
    /// The language sent as X-TC-Language (zh-CN or en-US).
    #[arg(long)]
    pub language: Option<String>,
}

/// The most rooms one --room-range may create.
const MAX_ROOM_RANGE: u64 = 10_000_000;

/// `FIRST-LAST`, both ids, FIRST <= LAST, at most ten million rooms.
fn parse_room_range(s: &str) -> Result<(u64, u64), String> {
    let (first, last) = s
        .split_once('-')
        .ok_or_else(|| format!("{s:?} is not a range: write FIRST-LAST, e.g. 1-10000"))?;
    let (first, last) = (parse_id(first)?, parse_id(last)?);
    if first > last {
        return Err(format!("{s:?} runs backwards: write the smaller id first"));
    }
    if last - first >= MAX_ROOM_RANGE {
        return Err(format!(
            "{s:?} holds more than {MAX_ROOM_RANGE} rooms: split it or use fewer"
        ));
    }
    Ok((first, last))
}

/// An SdkAppId or RoomId: a whole number from 1.
fn parse_id(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("0 is not a valid id: ids start at 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{s:?} is not a whole number: give digits only, e.g. 1400000001"
        )),
    }
}

/// `IsMute`: 0 to 3.
fn parse_is_mute(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(n) if n <= 3 => Ok(n),
        _ => Err(format!(
            "{s:?} is not 0, 1, 2 or 3: 0 enables audio and video, 1 disables both, 2 audio only, 3 video only"
        )),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, Command};

    #[test]
    fn secrets_given_as_flags_print_as_stars() {
        let cli = Cli::try_parse_from([
            "trtc",
            "emulator",
            "--secret-id",
            "AKIDflag",
            "--secret-key",
            "flag-secret-key",
            "--token",
            "flag-token",
            "--sdk-app-id",
            "1400000001",
            "--sdk-secret-key",
            "flag-sdk-key",
        ])
        .unwrap();
        let Command::Emulator(args) = &cli.command else {
            panic!("{cli:?}")
        };
        let printed = format!("{args:?}");
        for secret in ["flag-secret-key", "flag-token", "flag-sdk-key"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("AKIDflag"));
        assert_eq!(args.sdk_secret_key.as_ref().map(|k| k.expose()), Some("flag-sdk-key"));
    }
}
