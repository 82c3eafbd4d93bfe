//! The actions on what an application keeps besides rooms and tasks (`crate::resources`): hot-word
//! vocabularies (`*RecognizeVocabV3`, `SetVocabStateV3`), pictures for mixed layouts (`*Picture`), voice
//! prints (`*VoicePrint`), cloned voices (`VoiceClone`) and speech (`TextToSpeech`, `TextToSpeechSSE`,
//! `AsyncTextToSpeech`, `DescribeAsyncTextToSpeech`); and the two answers computed on the spot: short-audio
//! moderation (`CreateAudioModerationSync`, always "pass": the emulator hears nothing) and an AI
//! conversation's context (`QueryAIMessageList`, what `ControlAIConversation` put in it).
//!
//! Each create answers a fresh id in the service's form, describe answers what the create and the updates
//! set, delete removes it, and an id that names nothing answers the code the action documents.

use base64::Engine as _;
use serde_json::{json, Map, Value};
use trtc_model::ErrorCode;

use super::described::Call;
use super::speech;
use crate::reply::{request_id, Answer, Failure};
use crate::resources::{Kind, Resource};
use crate::rooms::Rooms;
use crate::tasks::{civil_date, now_ms, random_u64};

/// At most this many vocabularies an application keeps (`LimitExceeded.VocabFull` past it).
const MAX_VOCABULARIES: usize = 30;
/// At most this many cloned voices an application keeps (`LimitExceeded.VoiceCloneMaxNumLimit` past it).
const MAX_VOICES: usize = 100;
/// The longest text a speech action takes, in characters (`TextToSpeechRequest.Text`: "length range: [1, 255]").
const MAX_TEXT_CHARS: usize = 255;

/// Serves the action if it is one of these; `None` for any other.
pub(super) fn run(call: &Call<'_>, rooms: &mut Rooms) -> Result<Option<Answer>, Failure> {
    let answer = match call.schema.name() {
        "CreateRecognizeVocabV3" => create_vocabulary(call, rooms)?,
        "GetRecognizeVocabV3" => get_vocabulary(call, rooms)?,
        "GetRecognizeVocabListV3" => list_vocabularies(call, rooms),
        "UpdateRecognizeVocabV3" => update_vocabulary(call, rooms)?,
        "DeleteRecognizeVocabV3" => delete(call, rooms, Kind::Vocabulary, "VocabId")?,
        "DownloadRecognizeVocabV3" => download_vocabulary(call, rooms)?,
        "SetVocabStateV3" => set_vocabulary_state(call, rooms)?,
        "CreatePicture" => create_picture(call, rooms),
        "DescribePicture" => describe_pictures(call, rooms),
        "ModifyPicture" => modify_picture(call, rooms)?,
        "DeletePicture" => delete(call, rooms, Kind::Picture, "PictureId")?,
        "RegisterVoicePrint" => register_voice_print(call, rooms)?,
        "DescribeVoicePrint" => describe_voice_prints(call, rooms)?,
        "UpdateVoicePrint" => update_voice_print(call, rooms)?,
        "DeleteVoicePrint" => delete(call, rooms, Kind::VoicePrint, "VoicePrintId")?,
        "VoiceClone" => clone_voice(call, rooms)?,
        "TextToSpeech" => text_to_speech(call, rooms)?,
        "TextToSpeechSSE" => text_to_speech_events(call, rooms)?,
        "AsyncTextToSpeech" => async_text_to_speech(call, rooms)?,
        "DescribeAsyncTextToSpeech" => describe_async_speech(call, rooms)?,
        "CreateAudioModerationSync" => moderate_audio(call)?,
        "QueryAIMessageList" => ai_messages(call, rooms)?,
        _ => return Ok(None),
    };
    Ok(Some(answer))
}

/// The application the request names, as the owner of its resources.
fn app_owner(call: &Call<'_>) -> String {
    call.sdk_app_id.map(|id| id.to_string()).unwrap_or_default()
}

/// Voice prints take no `SdkAppId`: they belong to the key that registered them.
fn key_owner(call: &Call<'_>) -> String {
    call.entry.secret_id.clone()
}

fn members(call: &Call<'_>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), call.value(name)?.clone())))
        .collect()
}

fn answer(call: &Call<'_>, set: impl IntoIterator<Item = (&'static str, Value)>) -> Answer {
    let mut answer = call.schema.empty_answer();
    for (name, value) in set {
        answer.insert(name.to_owned(), value);
    }
    Answer::Members(answer)
}

fn hex_id(serial: u64) -> String {
    format!("{:016x}{:016x}", random_u64(serial), random_u64(!serial))
}

/// `2026-06-04T12:25:43+00:00`, as the vocabulary examples write times (UTC here).
fn rfc3339(ms: u64) -> String {
    let (year, month, day) = civil_date(ms / 86_400_000);
    let secs = ms / 1000 % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn new_resource(rooms: &mut Rooms, kind: Kind, owner: String, id: String, members: Map<String, Value>) -> Resource {
    let now = now_ms();
    let resource = Resource {
        kind,
        owner,
        id,
        created_ms: now,
        updated_ms: now,
        members,
    };
    rooms.resources.insert(resource.clone());
    resource
}

/// The page `offset`/`limit` (or `PageNo` from 1 and `PageSize`) of `items`.
fn page<T>(items: Vec<T>, skip: u64, take: u64) -> Vec<T> {
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    let take = usize::try_from(take).unwrap_or(usize::MAX);
    items.into_iter().skip(skip).take(take).collect()
}

/// Removes the resource the id member names; the action's not-found code if there is none.
fn delete(call: &Call<'_>, rooms: &mut Rooms, kind: Kind, member: &str) -> Result<Answer, Failure> {
    let owner = if kind == Kind::VoicePrint {
        key_owner(call)
    } else {
        app_owner(call)
    };
    let id = id_of(call, member);
    if !rooms.resources.remove(kind, &owner, &id) {
        return Err(not_found(kind, &id));
    }
    Ok(answer(call, []))
}

/// The id member's value as text (`PictureId` is a number).
fn id_of(call: &Call<'_>, member: &str) -> String {
    match call.value(member) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn not_found(kind: Kind, id: &str) -> Failure {
    let (code, what) = match kind {
        Kind::Vocabulary => (ErrorCode::InvalidParameterValueInvalidVocabId, "vocabulary"),
        Kind::Picture => (ErrorCode::InvalidParameterPictureNotFound, "picture"),
        Kind::VoicePrint => (ErrorCode::FailedOperationUpdateVoicePrintIdNotFound, "voice print"),
        Kind::Voice => (ErrorCode::InvalidParameterVoiceId, "voice"),
        Kind::SpeechTask => (ErrorCode::ResourceNotFound, "speech task"),
    };
    Failure::new(code, format!("No {what} {id:?} exists for this application."))
}

// Vocabularies.

/// The hot words of `WordWeights` or of `WordWeightStr` (Base64 of `word|weight` lines), weights checked.
fn hot_words(call: &Call<'_>) -> Result<Option<Vec<Value>>, Failure> {
    let invalid_weight = |word: &str, weight: i64| {
        Failure::new(
            ErrorCode::InvalidParameterValueInvalidWordWeight,
            format!("The hot word {word:?} has the weight {weight}: use 1 to 11, or 100."),
        )
    };
    let valid = |weight: i64| (1..=11).contains(&weight) || weight == 100;
    if let Some(Value::Array(items)) = call.value("WordWeights") {
        for item in items {
            let word = item.get("Word").and_then(Value::as_str).unwrap_or("");
            let weight = item.get("Weight").and_then(Value::as_i64).unwrap_or(0);
            if word.is_empty() || !valid(weight) {
                return Err(invalid_weight(word, weight));
            }
        }
        return Ok(Some(items.clone()));
    }
    let Some(text) = call.text("WordWeightStr") else {
        return Ok(None);
    };
    let wrong = || {
        Failure::new(
            ErrorCode::InvalidParameterValueInvalidWordWeightStr,
            "The value of parameter `WordWeightStr` must be the Base64 of lines `word|weight` (weights 1 to 11, or 100).",
        )
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| wrong())?;
    let decoded = String::from_utf8(decoded).map_err(|_| wrong())?;
    let mut words = Vec::new();
    for line in decoded.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (word, weight) = line.rsplit_once('|').ok_or_else(wrong)?;
        let weight: i64 = weight.trim().parse().map_err(|_| wrong())?;
        if word.is_empty() || !valid(weight) {
            return Err(invalid_weight(word, weight));
        }
        words.push(json!({"Word": word, "Weight": weight}));
    }
    Ok(Some(words))
}

fn create_vocabulary(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let owner = app_owner(call);
    let name = call.text("Name").unwrap_or("").to_owned();
    if rooms.resources.of(Kind::Vocabulary, &owner).count() >= MAX_VOCABULARIES {
        return Err(Failure::new(
            ErrorCode::LimitExceededVocabFull,
            format!("The application has {MAX_VOCABULARIES} vocabularies, the most it may keep: delete one first."),
        ));
    }
    if rooms
        .resources
        .of(Kind::Vocabulary, &owner)
        .any(|v| v.members.get("Name").and_then(Value::as_str) == Some(&name))
    {
        return Err(Failure::new(
            ErrorCode::FailedOperation,
            format!("A vocabulary named {name:?} exists: a name is unique in the application."),
        ));
    }
    let words = hot_words(call)?.unwrap_or_default();
    let serial = rooms.resources.next_serial();
    let mut kept = members(call, &["Name", "Description"]);
    kept.insert("WordWeights".to_owned(), Value::Array(words));
    kept.insert("State".to_owned(), Value::from(0));
    let vocabulary = new_resource(rooms, Kind::Vocabulary, owner, hex_id(serial), kept);
    Ok(answer(call, [("VocabId", Value::from(vocabulary.id))]))
}

fn vocabulary<'a>(call: &Call<'_>, rooms: &'a Rooms) -> Result<&'a Resource, Failure> {
    let id = id_of(call, "VocabId");
    rooms
        .resources
        .get(Kind::Vocabulary, &app_owner(call), &id)
        .ok_or_else(|| not_found(Kind::Vocabulary, &id))
}

fn vocabulary_members(vocabulary: &Resource) -> Map<String, Value> {
    let mut out = vocabulary.members.clone();
    out.entry("Description").or_insert_with(|| Value::from(""));
    out.insert("VocabId".to_owned(), Value::from(vocabulary.id.as_str()));
    out.insert("CreateTime".to_owned(), Value::from(rfc3339(vocabulary.created_ms)));
    out.insert("UpdateTime".to_owned(), Value::from(rfc3339(vocabulary.updated_ms)));
    out
}

fn get_vocabulary(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let mut answer = call.schema.empty_answer();
    answer.extend(vocabulary_members(vocabulary(call, rooms)?));
    Ok(Answer::Members(answer))
}

fn list_vocabularies(call: &Call<'_>, rooms: &Rooms) -> Answer {
    let all: Vec<Value> = rooms
        .resources
        .of(Kind::Vocabulary, &app_owner(call))
        .map(|v| Value::Object(vocabulary_members(v)))
        .collect();
    let total = all.len();
    let offset = call.value("Offset").and_then(Value::as_u64).unwrap_or(0);
    let limit = call.value("Limit").and_then(Value::as_u64).unwrap_or(10);
    answer(
        call,
        [
            ("VocabList", Value::Array(page(all, offset, limit))),
            ("TotalCount", Value::from(total)),
        ],
    )
}

fn update_vocabulary(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let id = vocabulary(call, rooms)?.id.clone();
    let words = hot_words(call)?;
    let owner = app_owner(call);
    if let Some(name) = call.text("Name") {
        if rooms
            .resources
            .of(Kind::Vocabulary, &owner)
            .any(|v| v.id != id && v.members.get("Name").and_then(Value::as_str) == Some(name))
        {
            return Err(Failure::new(
                ErrorCode::FailedOperation,
                format!("A vocabulary named {name:?} exists: a name is unique in the application."),
            ));
        }
    }
    let changes = members(call, &["Name", "Description"]);
    if let Some(vocabulary) = rooms.resources.get_mut(Kind::Vocabulary, &owner, &id) {
        vocabulary.members.extend(changes);
        if let Some(words) = words {
            vocabulary.members.insert("WordWeights".to_owned(), Value::Array(words));
        }
        vocabulary.updated_ms = now_ms();
    }
    Ok(answer(call, [("VocabId", Value::from(id))]))
}

fn download_vocabulary(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let vocabulary = vocabulary(call, rooms)?;
    let lines: Vec<String> = vocabulary
        .members
        .get("WordWeights")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|w| {
            format!(
                "{}|{}",
                w.get("Word").and_then(Value::as_str).unwrap_or(""),
                w.get("Weight").and_then(Value::as_i64).unwrap_or(0)
            )
        })
        .collect();
    let text = base64::engine::general_purpose::STANDARD.encode(lines.join("\n"));
    Ok(answer(
        call,
        [
            ("VocabId", Value::from(vocabulary.id.as_str())),
            ("WordWeightStr", Value::from(text)),
        ],
    ))
}

/// `State` 1 makes the vocabulary the application's default (the one default: the others go back to 0).
fn set_vocabulary_state(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let state = call.value("State").and_then(Value::as_i64).unwrap_or(-1);
    if state != 0 && state != 1 {
        return Err(Failure::new(
            ErrorCode::InvalidParameterInvalidVocabState,
            format!("The value of parameter `State` must be 0 or 1 (1: the default vocabulary; got {state})."),
        ));
    }
    let id = vocabulary(call, rooms)?.id.clone();
    let owner = app_owner(call);
    for vocabulary in rooms.resources.of_mut(Kind::Vocabulary, &owner) {
        if vocabulary.id == id {
            vocabulary.members.insert("State".to_owned(), Value::from(state));
            vocabulary.updated_ms = now_ms();
        } else if state == 1 {
            vocabulary.members.insert("State".to_owned(), Value::from(0));
        }
    }
    Ok(answer(call, [("VocabId", Value::from(id))]))
}

// Pictures.

const PICTURE_MEMBERS: [&str; 4] = ["Height", "Width", "XPosition", "YPosition"];

fn picture_info(picture: &Resource) -> Value {
    let mut info = picture.members.clone();
    info.insert(
        "PictureId".to_owned(),
        Value::from(picture.id.parse::<u64>().unwrap_or(0)),
    );
    info.insert(
        "SdkAppId".to_owned(),
        Value::from(picture.owner.parse::<u64>().unwrap_or(0)),
    );
    Value::Object(info)
}

fn create_picture(call: &Call<'_>, rooms: &mut Rooms) -> Answer {
    let serial = rooms.resources.next_serial();
    // Picture ids are numbers, as the examples' 1400297109; ours count up from 100000.
    let id = 100_000 + serial;
    let kept = members(call, &PICTURE_MEMBERS);
    new_resource(rooms, Kind::Picture, app_owner(call), id.to_string(), kept);
    answer(call, [("PictureId", Value::from(id))])
}

/// Every picture of the application, or the one `PictureId` names; page `PageNo` (from 1) of `PageSize`
/// (10 when absent).
fn describe_pictures(call: &Call<'_>, rooms: &Rooms) -> Answer {
    let only = call.value("PictureId").and_then(Value::as_u64).map(|id| id.to_string());
    let all: Vec<Value> = rooms
        .resources
        .of(Kind::Picture, &app_owner(call))
        .filter(|p| only.as_ref().is_none_or(|id| *id == p.id))
        .map(picture_info)
        .collect();
    let total = all.len();
    let size = call.number("PageSize").unwrap_or(10);
    let number = call.number("PageNo").unwrap_or(1).max(1);
    answer(
        call,
        [
            ("Total", Value::from(total)),
            (
                "PictureInfo",
                Value::Array(page(all, (number - 1).saturating_mul(size), size)),
            ),
        ],
    )
}

fn modify_picture(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let id = id_of(call, "PictureId");
    let changes = members(call, &PICTURE_MEMBERS);
    let picture = rooms
        .resources
        .get_mut(Kind::Picture, &app_owner(call), &id)
        .ok_or_else(|| not_found(Kind::Picture, &id))?;
    picture.members.extend(changes);
    picture.updated_ms = now_ms();
    Ok(answer(call, []))
}

// Voice prints.

fn non_empty(call: &Call<'_>, member: &str, code: ErrorCode, limit: Option<usize>) -> Result<(), Failure> {
    let Some(value) = call.value(member).and_then(Value::as_str) else {
        return Ok(());
    };
    if value.is_empty() {
        return Err(Failure::new(
            code,
            format!("The parameter `{member}` must not be empty."),
        ));
    }
    if let Some(limit) = limit.filter(|limit| value.chars().count() > *limit) {
        return Err(Failure::new(
            ErrorCode::InvalidParameter,
            format!("The parameter `{member}` is longer than {limit} characters."),
        ));
    }
    Ok(())
}

fn register_voice_print(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    non_empty(call, "Audio", ErrorCode::InvalidParameterInvalidAudioInput, None)?;
    non_empty(call, "AudioName", ErrorCode::InvalidParameter, Some(32))?;
    non_empty(call, "AudioMetaInfo", ErrorCode::InvalidParameter, Some(512))?;
    if call.number("AudioFormat") != Some(0) {
        return Err(Failure::new(
            ErrorCode::InvalidParameter,
            "The value of parameter `AudioFormat` must be 0 (wav), the one format voice prints take.",
        ));
    }
    let serial = rooms.resources.next_serial();
    let (year, month, day) = civil_date(now_ms() / 86_400_000);
    let id = format!("{year:04}{month:02}{day:02}_{}", hex_id(serial));
    let mut kept = members(call, &["AudioFormat", "AudioName", "ReqTimestamp"]);
    if let Some(meta) = call.value("AudioMetaInfo") {
        kept.insert("VoicePrintMetaInfo".to_owned(), meta.clone());
    }
    let print = new_resource(rooms, Kind::VoicePrint, key_owner(call), id, kept);
    Ok(answer(call, [("VoicePrintId", Value::from(print.id))]))
}

fn voice_print_info(print: &Resource) -> Value {
    let mut info = print.members.clone();
    info.insert("VoicePrintId".to_owned(), Value::from(print.id.as_str()));
    info.insert("CreateTime".to_owned(), Value::from(rfc3339(print.created_ms)));
    info.insert("UpdateTime".to_owned(), Value::from(rfc3339(print.updated_ms)));
    Value::Object(info)
}

/// `DescribeMode` 0: the prints of `VoicePrintIdList`; 1: page `PageIndex` (from 1) of `PageSize` (20).
fn describe_voice_prints(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let owner = key_owner(call);
    let prints: Vec<&Resource> = rooms.resources.of(Kind::VoicePrint, &owner).collect();
    let (total, data) = match call.number("DescribeMode") {
        Some(0) => {
            let ids: Vec<&str> = call
                .value("VoicePrintIdList")
                .and_then(Value::as_array)
                .map(|ids| ids.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if ids.is_empty() || ids.len() > 100 {
                return Err(Failure::new(
                    ErrorCode::InvalidParameterInvalidVoicePrintIdList,
                    "With `DescribeMode` 0, `VoicePrintIdList` must name 1 to 100 voice prints.",
                ));
            }
            let found: Vec<Value> = prints
                .iter()
                .filter(|p| ids.contains(&p.id.as_str()))
                .map(|p| voice_print_info(p))
                .collect();
            (found.len(), found)
        }
        Some(1) => {
            let size = call.number("PageSize").unwrap_or(20);
            let index = call.number("PageIndex").unwrap_or(1).max(1);
            let all: Vec<Value> = prints.iter().map(|p| voice_print_info(p)).collect();
            (all.len(), page(all, (index - 1).saturating_mul(size), size))
        }
        other => {
            return Err(Failure::new(
                ErrorCode::InvalidParameter,
                format!(
                    "The value of parameter `DescribeMode` must be 0 (by VoicePrintIdList) or 1 (by page); got {}.",
                    other.map_or("nothing".to_owned(), |m| m.to_string())
                ),
            ))
        }
    };
    Ok(answer(
        call,
        [("TotalCount", Value::from(total)), ("Data", Value::Array(data))],
    ))
}

fn update_voice_print(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    if call.text("Audio").is_none() && call.text("AudioMetaInfo").is_none() {
        return Err(Failure::new(
            ErrorCode::MissingParameterMissingVoicePrintUpdateParams,
            "An update of a voice print must send `Audio` or `AudioMetaInfo`.",
        ));
    }
    non_empty(call, "AudioMetaInfo", ErrorCode::InvalidParameter, Some(512))?;
    let id = id_of(call, "VoicePrintId");
    let mut changes = members(call, &["AudioFormat", "ReqTimestamp"]);
    if let Some(meta) = call.value("AudioMetaInfo") {
        changes.insert("VoicePrintMetaInfo".to_owned(), meta.clone());
    }
    let print = rooms
        .resources
        .get_mut(Kind::VoicePrint, &key_owner(call), &id)
        .ok_or_else(|| not_found(Kind::VoicePrint, &id))?;
    print.members.extend(changes);
    print.updated_ms = now_ms();
    Ok(answer(call, []))
}

// Voices and speech.

fn clone_voice(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let name = call.text("VoiceName").unwrap_or("");
    if name.is_empty() || name.len() > 36 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Failure::new(
            ErrorCode::InvalidParameterVoiceName,
            format!(
                "The value of parameter `VoiceName` must be 1 to 36 letters, digits and underscores (got {name:?})."
            ),
        ));
    }
    non_empty(call, "PromptAudio", ErrorCode::InvalidParameterAudioPrompt, None)?;
    let owner = app_owner(call);
    if rooms.resources.of(Kind::Voice, &owner).count() >= MAX_VOICES {
        return Err(Failure::new(
            ErrorCode::LimitExceededVoiceCloneMaxNumLimit,
            format!("The application has {MAX_VOICES} cloned voices, the most it may keep."),
        ));
    }
    let serial = rooms.resources.next_serial();
    // `xiaoming_02_aidniwqndq`, as the example: the name and ten lowercase letters.
    let mut bits = random_u64(serial);
    let suffix: String = (0..10)
        .map(|_| {
            let letter = char::from(b'a' + u8::try_from(bits % 26).unwrap_or(0));
            bits /= 26;
            letter
        })
        .collect();
    let id = format!("{name}_{suffix}");
    let kept = members(call, &["VoiceName", "Model", "Language"]);
    let voice = new_resource(rooms, Kind::Voice, owner, id, kept);
    Ok(answer(call, [("VoiceId", Value::from(voice.id))]))
}

/// A speech request, checked: its text, voice, speed and audio format.
struct Speech {
    text: String,
    speed: f64,
    format: &'static str,
    rate: u32,
    kbps: u32,
}

impl Speech {
    fn duration_ms(&self) -> u64 {
        speech::duration_ms(&self.text, self.speed)
    }

    fn audio(&self) -> Vec<u8> {
        let ms = self.duration_ms();
        match self.format {
            "wav" => speech::wav(self.rate, ms),
            "mp3" => speech::mp3(self.rate, self.kbps, ms),
            _ => speech::pcm(self.rate, ms),
        }
    }
}

fn speech_request(call: &Call<'_>, rooms: &Rooms, formats: &[&'static str]) -> Result<Speech, Failure> {
    let text = call.value("Text").and_then(Value::as_str).unwrap_or("");
    if text.trim().is_empty() {
        return Err(Failure::new(
            ErrorCode::InvalidParameterText,
            "The parameter `Text` must not be empty.",
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Failure::new(
            ErrorCode::InvalidParameterTextLength,
            format!("The parameter `Text` is {chars} characters long: at most {MAX_TEXT_CHARS}."),
        ));
    }
    let voice = call.value("Voice");
    let member = |name: &str| voice.and_then(|v| v.get(name));
    let voice_id = member("VoiceId").and_then(Value::as_str).unwrap_or("");
    let cloned = rooms
        .resources
        .of(Kind::Voice, &app_owner(call))
        .any(|v| v.id == voice_id);
    // The service's own voices are `v-female-R2s4N9qJ` and the like; any other must be a voice cloned here.
    if voice_id.is_empty() || !(cloned || voice_id.starts_with("v-")) {
        return Err(Failure::new(
            ErrorCode::InvalidParameterVoiceId,
            format!("The voice {voice_id:?} is neither one of the service's (`v-...`) nor a voice cloned for this application."),
        ));
    }
    // The voice's documented ranges, each with its code; the default when absent.
    let ranged = |name: &str, default: f64, low: f64, high: f64, code: ErrorCode| {
        let value = member(name).and_then(Value::as_f64).unwrap_or(default);
        if (low..=high).contains(&value) {
            Ok(value)
        } else {
            Err(Failure::new(
                code,
                format!("The value of parameter `Voice.{name}` must be from {low} to {high} (got {value})."),
            ))
        }
    };
    let speed = ranged("Speed", 1.0, 0.5, 2.0, ErrorCode::InvalidParameterSpeed)?;
    ranged("Volume", 1.0, 0.0, 10.0, ErrorCode::InvalidParameterVolume)?;
    ranged("Pitch", 0.0, -12.0, 12.0, ErrorCode::InvalidParameterPitch)?;
    let audio = call.value("AudioFormat");
    let format_member = |name: &str| audio.and_then(|a| a.get(name));
    let asked = format_member("Format").and_then(Value::as_str).unwrap_or("pcm");
    let format = formats.iter().copied().find(|f| *f == asked).ok_or_else(|| {
        Failure::new(
            ErrorCode::InvalidParameterAudioEncodeParams,
            format!(
                "The value of parameter `AudioFormat.Format` must be one of {} here (got {asked:?}).",
                formats.join(", ")
            ),
        )
    })?;
    let rate = format_member("SampleRate").and_then(Value::as_u64).unwrap_or(24000);
    let rate = match rate {
        16000 => 16000,
        24000 => 24000,
        _ => {
            return Err(Failure::new(
                ErrorCode::InvalidParameterSampleRate,
                format!("The value of parameter `AudioFormat.SampleRate` must be 16000 or 24000 (got {rate})."),
            ))
        }
    };
    let kbps = format_member("Bitrate").and_then(Value::as_u64).unwrap_or(128);
    if ![64, 128, 192, 256].contains(&kbps) {
        return Err(Failure::new(
            ErrorCode::InvalidParameterAudioEncodeParams,
            format!("The value of parameter `AudioFormat.Bitrate` must be 64, 128, 192 or 256 (got {kbps})."),
        ));
    }
    Ok(Speech {
        text: text.to_owned(),
        speed,
        format,
        rate,
        kbps: u32::try_from(kbps).unwrap_or(128),
    })
}

fn text_to_speech(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let speech = speech_request(call, rooms, &["pcm", "wav", "mp3"])?;
    let audio = base64::engine::general_purpose::STANDARD.encode(speech.audio());
    Ok(answer(
        call,
        [
            ("Audio", Value::from(audio)),
            ("TotalDurationMs", Value::from(speech.duration_ms())),
        ],
    ))
}

/// The audio in chunks of at most 32 KiB, one event each, the last marked `IsEnd`.
fn text_to_speech_events(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let speech = speech_request(call, rooms, &["pcm"])?;
    let audio = speech.audio();
    let chunks: Vec<&[u8]> = audio.chunks(32 * 1024).collect();
    let last = chunks.len().saturating_sub(1);
    let events = chunks
        .iter()
        .enumerate()
        .map(|(seq, chunk)| {
            let mut event = Map::new();
            event.insert("Type".to_owned(), Value::from("chunk"));
            event.insert("ChunkId".to_owned(), Value::from(format!("chunk_{seq}")));
            event.insert(
                "Audio".to_owned(),
                Value::from(base64::engine::general_purpose::STANDARD.encode(chunk)),
            );
            event.insert("Seq".to_owned(), Value::from(seq));
            event.insert("IsEnd".to_owned(), Value::Bool(seq == last));
            event
        })
        .collect();
    Ok(Answer::Events(events))
}

fn async_text_to_speech(call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    let speech = speech_request(call, rooms, &["pcm", "wav", "mp3"])?;
    let mut kept = Map::new();
    kept.insert("TotalDurationMs".to_owned(), Value::from(speech.duration_ms()));
    let id = request_id().as_str().to_owned();
    let task = new_resource(rooms, Kind::SpeechTask, app_owner(call), id, kept);
    Ok(answer(call, [("TaskId", Value::from(task.id))]))
}

/// A speech task is done when it is described: `Success`, with its duration. The emulator keeps no files,
/// so the download addresses are empty.
fn describe_async_speech(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let id = id_of(call, "TaskId");
    // DescribeAsyncTextToSpeech takes no SdkAppId: any application of the caller's key.
    let task = call
        .entry
        .sdk_app_ids
        .iter()
        .find_map(|app| rooms.resources.get(Kind::SpeechTask, &app.to_string(), &id))
        .ok_or_else(|| not_found(Kind::SpeechTask, &id))?;
    let duration = task.members.get("TotalDurationMs").cloned().unwrap_or(Value::from(0));
    Ok(answer(
        call,
        [
            ("Status", Value::from("Success")),
            ("AudioDownloadUrl", Value::from("")),
            ("SubtitleDownloadUrl", Value::from("")),
            ("TotalDurationMs", duration),
        ],
    ))
}

/// Short audio moderation: the file (its content or its address) is always judged normal (`Suggest` 0,
/// `Label` Normal): the emulator hears nothing.
fn moderate_audio(call: &Call<'_>) -> Result<Answer, Failure> {
    if call.text("FileContent").is_none() && call.text("FileUrl").is_none() {
        return Err(Failure::new(
            ErrorCode::InvalidParameter,
            "Send the audio as `FileContent` (Base64) or `FileUrl`.",
        ));
    }
    Ok(answer(
        call,
        [
            ("DataId", Value::from(call.text("DataId").unwrap_or(""))),
            ("TaskId", Value::from(request_id().as_str())),
            ("FileName", Value::from(call.text("FileName").unwrap_or(""))),
            ("MediaType", Value::from(1)),
            ("Suggest", Value::from(0)),
            ("Rate", Value::from(0)),
            ("Label", Value::from("Normal")),
            ("SubLabel", Value::from("")),
            ("Audio", Value::from("")),
            ("AudioText", Value::from("")),
            ("Duration", Value::from(0)),
            ("CheckDetail", Value::Array(Vec::new())),
        ],
    ))
}

/// The context of a running AI conversation: what `ControlAIConversation` pushed into it.
fn ai_messages(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let id = id_of(call, "TaskId");
    let task = rooms
        .tasks
        .get(&id)
        .filter(|task| task.family == "ai_conversation" && call.sees(task.sdk_app_id))
        .ok_or_else(|| {
            Failure::new(
                ErrorCode::FailedOperationTaskNotExist,
                format!("The AI conversation {id:?} does not exist or has ended."),
            )
        })?;
    let messages: Vec<Value> = task
        .messages
        .iter()
        .map(|(role, content)| json!({"Role": role, "Content": content}))
        .collect();
    Ok(answer(
        call,
        [
            ("Total", Value::from(messages.len())),
            ("MessageList", Value::Array(messages)),
        ],
    ))
}
