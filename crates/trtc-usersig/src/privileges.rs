//! The privilege map of a PrivateMapKey: eight named bits.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// What a PrivateMapKey allows its user to do in its room: a set of the eight privilege bits.
///
/// The service reads the map as a 32-bit word; the eight low bits are defined. A map decoded from a received
/// PrivateMapKey keeps any other bits it has ([`bits`](Privileges::bits) shows them); the constructors used
/// for minting accept only the defined ones.
///
/// ```
/// use trtc_usersig::Privileges;
///
/// let p = Privileges::parse("enter,recv-audio,recv-video")?;
/// assert_eq!(p.bits(), 42);
/// assert_eq!(p, Privileges::ENTER | Privileges::RECV_AUDIO | Privileges::RECV_VIDEO);
/// assert!(p.contains(Privileges::ENTER));
/// assert_eq!(p.to_string(), "enter,recv-audio,recv-video");
/// assert_eq!(Privileges::parse("255")?, Privileges::ALL);
/// # Ok::<(), trtc_usersig::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Privileges(u32);

impl Privileges {
    /// No privilege.
    pub const NONE: Privileges = Privileges(0);
    /// Bit 1 (1): create the room.
    pub const CREATE_ROOM: Privileges = Privileges(1);
    /// Bit 2 (2): enter the room.
    pub const ENTER: Privileges = Privileges(2);
    /// Bit 3 (4): send audio.
    pub const SEND_AUDIO: Privileges = Privileges(4);
    /// Bit 4 (8): receive audio.
    pub const RECV_AUDIO: Privileges = Privileges(8);
    /// Bit 5 (16): send video.
    pub const SEND_VIDEO: Privileges = Privileges(16);
    /// Bit 6 (32): receive video.
    pub const RECV_VIDEO: Privileges = Privileges(32);
    /// Bit 7 (64): send the substream (screen sharing).
    pub const SEND_SUBSTREAM: Privileges = Privileges(64);
    /// Bit 8 (128): receive the substream (screen sharing).
    pub const RECV_SUBSTREAM: Privileges = Privileges(128);
    /// All eight privileges (255).
    pub const ALL: Privileges = Privileges(255);

    /// Each named bit with the name [`parse`](Privileges::parse) accepts and `Display` prints.
    pub const NAMED: [(&'static str, Privileges); 8] = [
        ("create-room", Privileges::CREATE_ROOM),
        ("enter", Privileges::ENTER),
        ("send-audio", Privileges::SEND_AUDIO),
        ("recv-audio", Privileges::RECV_AUDIO),
        ("send-video", Privileges::SEND_VIDEO),
        ("recv-video", Privileges::RECV_VIDEO),
        ("send-substream", Privileges::SEND_SUBSTREAM),
        ("recv-substream", Privileges::RECV_SUBSTREAM),
    ];

    /// The map of these bits, or `None` if a bit outside the eight defined ones is set.
    pub const fn from_bits(bits: u32) -> Option<Privileges> {
        if bits & !Privileges::ALL.0 == 0 {
            Some(Privileges(bits))
        } else {
            None
        }
    }

    /// The map exactly as a PrivateMapKey holds it, undefined bits included.
    pub const fn from_bits_retain(bits: u32) -> Privileges {
        Privileges(bits)
    }

    /// The 32-bit word written into the PrivateMapKey.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: Privileges) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses a map given as a number (`42`, at most 255) or as names separated by commas
    /// (`enter,recv-audio,recv-video`; `all` for every bit, `none` for none). Spaces around names are ignored.
    pub fn parse(text: &str) -> Result<Privileges, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::input(
                "privilege_map",
                "is empty: give a number from 0 to 255 or names such as enter,recv-audio,recv-video",
            ));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse::<u32>()
                .ok()
                .and_then(Privileges::from_bits)
                .ok_or_else(|| Error::input("privilege_map", format!("must be at most 255 (got {text})")));
        }
        let mut map = Privileges::NONE;
        for name in text.split(',').map(str::trim) {
            let bit = match name {
                "all" => Privileges::ALL,
                "none" => Privileges::NONE,
                _ => Privileges::NAMED
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, bit)| *bit)
                    .ok_or_else(|| {
                        let names: Vec<&str> = Privileges::NAMED.iter().map(|(n, _)| *n).collect();
                        Error::input(
                            "privilege_map",
                            format!(
                                "unknown privilege {name:?}: use a number or names among all, {}",
                                names.join(", ")
                            ),
                        )
                    })?,
            };
            map |= bit;
        }
        Ok(map)
    }
}

impl std::ops::BitOr for Privileges {
    type Output = Privileges;

    fn bitor(self, rhs: Privileges) -> Privileges {
        Privileges(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Privileges {
    fn bitor_assign(&mut self, rhs: Privileges) {
        self.0 |= rhs.0;
    }
}

impl FromStr for Privileges {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Privileges::parse(s)
    }
}

/// The names of the set bits, separated by commas (`none` when empty); undefined bits as one number at the end.
impl fmt::Display for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("none");
        }
        let mut first = true;
        for (name, bit) in Privileges::NAMED {
            if self.contains(bit) {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        let other = self.0 & !Privileges::ALL.0;
        if other != 0 {
            if !first {
                f.write_str(",")?;
            }
            write!(f, "{other}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Privileges({} = {})", self.0, self)
    }
}
