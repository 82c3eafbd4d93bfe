//! Answers that arrive as an event stream (`text/event-stream`): each `data:` field one JSON event.
//!
//! An event with `"Type": "error"` ends the stream with [`Error::Api`] (its code and message, the RequestId of
//! the `X-TC-RequestId` header or of the event). A stream that stops before its last event (one whose
//! `IsEnd` is `true`, when the events carry `IsEnd`), or whose connection breaks, ends with an error: never
//! with a silent end.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use trtc_model::ResponseError;

use crate::{Error, ResponseBody};

/// The most one event may take before it is refused: far above any event the service sends (an audio chunk
/// of a few hundred KB at most), low enough that a stream without separators cannot exhaust memory.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

/// The events of one streamed answer, typed as `E`; a [`Stream`] of `Result<E, Error>` that ends after the
/// last event or after its first error.
///
/// ```no_run
/// # async fn run(client: trtc_transport::Client) -> Result<(), trtc_transport::Error> {
/// use std::pin::pin;
/// # let mut events: trtc_transport::EventStream<serde_json::Value> = unimplemented!();
/// // `events` from `client.call_stream(&request)`; read with any Stream combinator, or by hand:
/// while let Some(event) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut events).poll_next(cx)).await {
///     println!("{}", event?);
/// }
/// # Ok(()) }
/// # use futures_core::Stream;
/// ```
pub struct EventStream<E> {
    body: ResponseBody,
    request_id: String,
    buffer: BytesMut,
    ready: VecDeque<Result<E, Error>>,
    // Whether an event carried `IsEnd`, and whether one said true.
    saw_is_end: bool,
    ended: bool,
    done: bool,
    _event: PhantomData<fn() -> E>,
}

// No field is ever pinned in place: the events are moved out of the queue by value.
impl<E> Unpin for EventStream<E> {}

impl<E> std::fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id)
            .field("buffered_bytes", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned> EventStream<E> {
    pub(crate) fn new(body: ResponseBody, request_id: String) -> Self {
        EventStream {
            body,
            request_id,
            buffer: BytesMut::new(),
            ready: VecDeque::new(),
            saw_is_end: false,
            ended: false,
            done: false,
            _event: PhantomData,
        }
    }

    /// The RequestId of the answer (its `X-TC-RequestId` header), empty when the service sent none.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Splits off every complete event in the buffer (`at_end`: the rest too) and queues what each gives.
    fn drain(&mut self, at_end: bool) {
        while let Some((end, separator)) = find_separator(&self.buffer) {
            let block = self.buffer.split_to(end);
            self.buffer.advance(separator);
            self.queue(&block);
        }
        if at_end && !self.buffer.is_empty() {
            let block = self.buffer.split();
            self.queue(&block);
        }
    }

    fn queue(&mut self, block: &[u8]) {
        if self.ended || self.ready.back().is_some_and(Result::is_err) {
            return;
        }
        let Some(data) = data_of(block) else {
            return;
        };
        let event = self.event(&data);
        self.ready.push_back(event);
    }

    fn event(&mut self, data: &str) -> Result<E, Error> {
        // The event itself, an error event included, is read by the model's reader of events.
        let event = trtc_model::parse_event::<E>(data).map_err(|e| match e {
            ResponseError::Api(mut api) if !self.request_id.is_empty() => {
                api.request_id.clone_from(&self.request_id);
                Error::Api(api)
            }
            other => Error::from(other),
        })?;
        // Whether it is the last: read apart, so `E` need not say (skipping every other member is cheap).
        #[derive(serde::Deserialize)]
        struct End {
            #[serde(rename = "IsEnd")]
            is_end: Option<bool>,
        }
        if let Ok(End { is_end: Some(is_end) }) = serde_json::from_str::<End>(data) {
            self.saw_is_end = true;
            self.ended = is_end;
        }
        Ok(event)
    }
}

impl<E: DeserializeOwned> Stream for EventStream<E> {
    type Item = Result<E, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                if item.is_err() {
                    // An error ends the stream: nothing after it is read.
                    this.done = true;
                    this.ready.clear();
                }
                return Poll::Ready(Some(item));
            }
            if this.done || this.ended {
                // After the last event, whatever follows is not read.
                this.done = true;
                return Poll::Ready(None);
            }
            match this.body.poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    this.buffer.extend_from_slice(&chunk);
                    this.drain(false);
                    if this.ready.is_empty() && this.buffer.len() > MAX_EVENT_BYTES {
                        this.ready.push_back(Err(ended_early(format!(
                            "an event is larger than {MAX_EVENT_BYTES} bytes"
                        ))));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    // The events that arrived whole before the break are delivered first.
                    this.drain(false);
                    if !this.ended {
                        this.ready.push_back(Err(Error::Transport(e)));
                    }
                    this.ended = true;
                }
                Poll::Ready(None) => {
                    this.drain(true);
                    if !this.ended && this.saw_is_end {
                        this.ready.push_back(Err(ended_early(
                            "the event stream ended before its last event (IsEnd)".to_owned(),
                        )));
                    }
                    this.ended = true;
                }
            }
        }
    }
}

fn ended_early(detail: String) -> Error {
    Error::UnexpectedResponse {
        status: 200,
        detail,
        snippet: String::new(),
    }
}

/// Where the first event ends in `buffer`: (end of the event, length of the blank line after it).
fn find_separator(buffer: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i + 1 < buffer.len() {
        if buffer[i] == b'\n' {
            if buffer[i + 1] == b'\n' {
                return Some((i, 2));
            }
            if buffer[i + 1] == b'\r' && buffer.get(i + 2) == Some(&b'\n') {
                return Some((i, 3));
            }
        }
        i += 1;
    }
    None
}

/// The data of one event: its `data:` lines joined with newlines (as the SSE format says); `None` for an event
/// without data (a comment, a keep-alive).
fn data_of(block: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(block);
    let mut data: Option<String> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(value) = line.strip_prefix("data:") {
            let value = value.strip_prefix(' ').unwrap_or(value);
            match &mut data {
                Some(joined) => {
                    joined.push('\n');
                    joined.push_str(value);
                }
                None => data = Some(value.to_owned()),
            }
        }
    }
    data
}
