//! The client's shorthand methods, one per action: `Client::create_cloud_recording(request)` and the same on the
//! blocking client, each a named call of the generic `call` (or `call_stream` for an action answered with an
//! event stream). Written into `trtc-transport` and the facade so that adding an action to the spec adds its
//! method with nothing written by hand; a method of a product area other than rooms is compiled with that
//! area's feature, as its types are.

use std::fmt::Write as _;

use super::model::header;
use super::spec::{Action, Api};

/// The async client's methods.
pub(super) const ASYNC_PATH: &str = "crates/trtc-transport/src/client/actions.rs";
/// The blocking client's methods.
pub(super) const BLOCKING_PATH: &str = "crates/trtc/src/blocking/actions.rs";

/// `DescribeTRTCMarketQualityData` -> `describe_trtc_market_quality_data`, `TextToSpeechSSE` ->
/// `text_to_speech_sse`, `CreateRecognizeVocabV3` -> `create_recognize_vocab_v3`.
pub(super) fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The first sentence-sized line of an action's title, for a method's doc.
fn title(action: &Action) -> String {
    let text = if action.title_en.trim().is_empty() {
        &action.title_cn
    } else {
        &action.title_en
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('`', "'")
}

fn cfg(api: &Api, action: &Action) -> String {
    match api.area(&action.module).and_then(|a| a.feature.as_deref()) {
        Some(feature) => {
            format!("    #[cfg(feature = \"{feature}\")]\n    #[cfg_attr(docsrs, doc(cfg(feature = \"{feature}\")))]\n")
        }
        None => String::new(),
    }
}

/// `crates/trtc-transport/src/client/actions.rs`.
pub(super) fn generate_async(api: &Api) -> String {
    let mut out = header();
    out.push_str(
        "//! One method per action of both editions, each a named shorthand for [`Client::call`] (or\n\
         //! [`Client::call_stream`] for an action answered with an event stream). The actions of a product area\n\
         //! other than rooms are compiled with the feature of that area (`full` for all of them).\n\n\
         use super::Client;\nuse crate::Error;\n\nimpl Client {\n",
    );
    for action in &api.actions {
        let path = format!("trtc_model::api::{}", action.module);
        let _ = write!(
            out,
            "    /// {} (`{}`; {}).\n{}",
            title(action),
            action.name,
            action.editions.describe(),
            cfg(api, action)
        );
        if action.deprecated {
            out.push_str("    ///\n    /// The description marks this action deprecated.\n");
        }
        match &action.event {
            Some(event) => {
                let _ = writeln!(
                    out,
                    "    pub async fn {}(&self, request: {path}::{}) -> Result<crate::EventStream<{path}::{event}>, Error> {{\n        self.call_stream(&request).await\n    }}\n",
                    snake(&action.name),
                    action.request,
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "    pub async fn {}(&self, request: {path}::{}) -> Result<{path}::{}, Error> {{\n        self.call(&request).await\n    }}\n",
                    snake(&action.name),
                    action.request,
                    action.response,
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `crates/trtc/src/blocking/actions.rs`.
pub(super) fn generate_blocking(api: &Api) -> String {
    let mut out = header();
    out.push_str(
        "//! One method per action of both editions on the blocking client, each the async client's method run to\n\
         //! completion on the blocking client's runtime. The actions of a product area other than rooms are\n\
         //! compiled with the feature of that area (`full` for all of them).\n\n\
         use super::Client;\nuse crate::Error;\n\nimpl Client {\n",
    );
    for action in &api.actions {
        let path = format!("trtc_model::api::{}", action.module);
        let name = snake(&action.name);
        let _ = write!(
            out,
            "    /// {} (`{}`; {}).\n{}",
            title(action),
            action.name,
            action.editions.describe(),
            cfg(api, action)
        );
        match &action.event {
            Some(event) => {
                let _ = writeln!(
                    out,
                    "    pub fn {name}(&self, request: {path}::{}) -> Result<super::Events<'_, {path}::{event}>, Error> {{\n        self.call_stream(&request)\n    }}\n",
                    action.request,
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "    pub fn {name}(&self, request: {path}::{}) -> Result<{path}::{}, Error> {{\n        self.run(self.as_async().{name}(request))\n    }}\n",
                    action.request,
                    action.response,
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::snake;

    #[test]
    fn method_names_split_words_and_acronyms() {
        assert_eq!(snake("DismissRoom"), "dismiss_room");
        assert_eq!(snake("DismissRoomByStrRoomId"), "dismiss_room_by_str_room_id");
        assert_eq!(snake("TextToSpeechSSE"), "text_to_speech_sse");
        assert_eq!(
            snake("DescribeTRTCMarketQualityData"),
            "describe_trtc_market_quality_data"
        );
        assert_eq!(
            snake("StartMCUMixTranscodeByStrRoomId"),
            "start_mcu_mix_transcode_by_str_room_id"
        );
        assert_eq!(snake("CreateRecognizeVocabV3"), "create_recognize_vocab_v3");
        assert_eq!(snake("DescribeAITranscription"), "describe_ai_transcription");
    }
}
