//! The numbered values of callbacks (groups, roles, device and user types, reasons, relay states), each an
//! enum with an `Other` arm: the service adds values, and a value not listed here is kept, not refused.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value not documented when this crate was written, kept as sent.
            Other(u32),
        }

        impl $name {
            /// The value for a number as the service sends it; numbers not listed become `Other`.
            pub fn from_code(code: u32) -> Self {
                match code {
                    $( $code => $name::$variant, )+
                    other => $name::Other(other),
                }
            }

            /// The number the service sends for this value.
            pub fn code(self) -> u32 {
                match self {
                    $( $name::$variant => $code, )+
                    $name::Other(code) => code,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u32(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                u32::deserialize(deserializer).map($name::from_code)
            }
        }
    };
}

code_enum! {
    /// `EventGroupId`: which family an event belongs to.
    ///
    /// ```
    /// use trtc_callback::EventGroup;
    ///
    /// assert_eq!(EventGroup::from_code(1), EventGroup::Room);
    /// assert_eq!(EventGroup::from_code(9), EventGroup::Other(9));
    /// assert_eq!(EventGroup::Recording.code(), 3);
    /// ```
    EventGroup {
        /// 1, `EVENT_GROUP_ROOM`: rooms created and dismissed, users entering, leaving, changing role.
        Room = 1,
        /// 2, `EVENT_GROUP_MEDIA`: video, audio and substream publishing started and stopped.
        Media = 2,
        /// 3: cloud recording tasks.
        Recording = 3,
        /// 4, `EVENT_GROUP_CLOUD_PUBLISH`: relay to CDN tasks.
        CdnRelay = 4,
        /// 8: web page recording tasks.
        WebRecording = 8,
    }
}

code_enum! {
    /// `Role`: the user's role in a live-streaming room.
    Role {
        /// 20, `MEMBER_TRTC_ANCHOR`.
        Anchor = 20,
        /// 21, `MEMBER_TRTC_VIEWER`.
        Audience = 21,
    }
}

code_enum! {
    /// `TerminalType`: the device a user entered from.
    TerminalType {
        /// 1.
        Windows = 1,
        /// 2.
        Android = 2,
        /// 3.
        Ios = 3,
        /// 4.
        Linux = 4,
        /// 100, `TERMINAL_TYPE_OTHER`.
        Unlisted = 100,
    }
}

code_enum! {
    /// `UserType`: the SDK a user entered with.
    UserType {
        /// 1, `USER_TYPE_WEBRTC`.
        WebRtc = 1,
        /// 2, `USER_TYPE_APPLET`: a mini program.
        MiniProgram = 2,
        /// 3, `USER_TYPE_NATIVE_SDK`.
        NativeSdk = 3,
    }
}

code_enum! {
    /// `Reason` of an enter-room event (103).
    EnterReason {
        /// 1: the user entered.
        Voluntary = 1,
        /// 2: the network changed.
        NetworkChange = 2,
        /// 3: a timeout, then a retry.
        TimeoutRetry = 3,
        /// 4: cross-room communication.
        CrossRoom = 4,
    }
}

code_enum! {
    /// `Reason` of an exit-room event (104).
    ExitReason {
        /// 1: the user left.
        Voluntary = 1,
        /// 2: a timeout (also what a force-closed Android app shows as).
        Timeout = 2,
        /// 3: removed from the room (`RemoveUser`, or the room dismissed).
        Removed = 3,
        /// 4: cross-room communication was cancelled.
        CrossRoomCancelled = 4,
        /// 5: the process was force-closed.
        ForceClosed = 5,
    }
}

code_enum! {
    /// `Payload.Status` of a relay to CDN event (401), `PUBLISH_CDN_STREAM_STATE_*`.
    CdnStreamState {
        /// 0: not started, or ended.
        Idle = 0,
        /// 1: connecting to the CDN (sent every 5 seconds for up to 60 seconds).
        Connecting = 1,
        /// 2: relaying.
        Running = 2,
        /// 3: interrupted, recovering (sent every 5 seconds for up to 60 seconds).
        Recovering = 3,
        /// 4: recovery failed or the connection timed out.
        Failure = 4,
        /// 5: disconnecting.
        Disconnecting = 5,
    }
}
