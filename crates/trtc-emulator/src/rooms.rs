//! The emulated service's rooms: which rooms exist in which application, who is in them and what is blocked
//! for each. Numeric and string room ids are separate namespaces, as in TRTC: room `1234` and room `"1234"`
//! are two rooms. What the emulator keeps of a room is a [`Room`], of a user in it a [`Member`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A room id: numeric (`DismissRoom`, `RemoveUser`, `SetUserBlocked`) or string (the `...ByStrRoomId`
/// actions). In JSON (config file, admin API, journal) a number is a numeric room and a string a string room.
///
/// ```
/// use trtc_emulator::RoomId;
///
/// assert_eq!(RoomId::from(1234), RoomId::Number(1234));
/// assert_eq!(RoomId::from("abcd"), RoomId::Str("abcd".into()));
/// assert_ne!(RoomId::from(1234), RoomId::from("1234"));
/// assert_eq!(RoomId::from("abcd").to_string(), "\"abcd\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RoomId {
    /// A numeric room id (TRTC `RoomId` of type integer).
    Number(u64),
    /// A string room id (TRTC `StrRoomId`, or `RoomId` of type string).
    Str(String),
}

impl From<u64> for RoomId {
    fn from(id: u64) -> Self {
        RoomId::Number(id)
    }
}

impl From<&str> for RoomId {
    fn from(id: &str) -> Self {
        RoomId::Str(id.to_owned())
    }
}

impl From<String> for RoomId {
    fn from(id: String) -> Self {
        RoomId::Str(id)
    }
}

impl fmt::Display for RoomId {
    /// A number as digits, a string in double quotes, so the two kinds never read alike.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Number(n) => write!(f, "{n}"),
            RoomId::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// What `SetUserBlocked` has disabled for a user: the `IsMute` values 0 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// `IsMute` 0: audio and video enabled (a user who just joined).
    #[default]
    None,
    /// `IsMute` 1: audio and video disabled.
    AudioAndVideo,
    /// `IsMute` 2: audio disabled.
    Audio,
    /// `IsMute` 3: video disabled.
    Video,
}

impl Block {
    /// The state an `IsMute` value sets; `None` for a value the API does not define.
    pub fn from_is_mute(is_mute: u64) -> Option<Block> {
        match is_mute {
            0 => Some(Block::None),
            1 => Some(Block::AudioAndVideo),
            2 => Some(Block::Audio),
            3 => Some(Block::Video),
            _ => None,
        }
    }
}

/// A user in a room, as read by [`Emulator::rooms`](crate::Emulator::rooms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UserSnapshot {
    /// The user id.
    pub user_id: String,
    /// What is disabled for the user.
    pub block: Block,
}

/// A room and its users, as read by [`Emulator::rooms`](crate::Emulator::rooms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RoomSnapshot {
    /// The application the room belongs to.
    pub sdk_app_id: u64,
    /// The room id.
    pub room: RoomId,
    /// The users in the room, sorted by user id.
    pub users: Vec<UserSnapshot>,
}

/// Why a room operation did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Room,
    User,
}

/// What the emulator keeps of a user in a room: all of it is here, so what a later action or event needs of
/// a user (a join time, say) is one field more.
#[derive(Debug, Default, Clone)]
pub(crate) struct Member {
    /// What `SetUserBlocked` has disabled; nothing for a user who just entered.
    pub(crate) block: Block,
}

/// What the emulator keeps of a room: its users, by user id.
#[derive(Debug, Default, Clone)]
pub(crate) struct Room {
    pub(crate) members: BTreeMap<String, Member>,
}

impl Room {
    fn snapshot(&self, sdk_app_id: u64, room: &RoomId) -> RoomSnapshot {
        RoomSnapshot {
            sdk_app_id,
            room: room.clone(),
            users: self
                .members
                .iter()
                .map(|(user_id, member)| UserSnapshot {
                    user_id: user_id.clone(),
                    block: member.block,
                })
                .collect(),
        }
    }
}

/// Rooms per application, with their users. Rooms are hashed, not ordered: an emulator may hold hundreds
/// of thousands, and every action looks one up; the snapshots sort them.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rooms {
    by_app: HashMap<u64, HashMap<RoomId, Room>>,
}

impl Rooms {
    /// Creates the room; `false` if it already existed.
    pub(crate) fn create(&mut self, sdk_app_id: u64, room: RoomId) -> bool {
        let rooms = self.by_app.entry(sdk_app_id).or_default();
        if rooms.contains_key(&room) {
            return false;
        }
        rooms.insert(room, Room::default());
        true
    }

    /// Puts users in the room, creating it as a first user entering does; users already there keep their state.
    pub(crate) fn enter(&mut self, sdk_app_id: u64, room: RoomId, users: impl IntoIterator<Item = String>) {
        let members = &mut self
            .by_app
            .entry(sdk_app_id)
            .or_default()
            .entry(room)
            .or_default()
            .members;
        for user in users {
            members.entry(user).or_default();
        }
    }

    pub(crate) fn exists(&self, sdk_app_id: u64, room: &RoomId) -> bool {
        self.by_app
            .get(&sdk_app_id)
            .is_some_and(|rooms| rooms.contains_key(room))
    }

    /// Removes the room and everyone in it; `false` when it did not exist.
    pub(crate) fn dismiss(&mut self, sdk_app_id: u64, room: &RoomId) -> bool {
        self.by_app
            .get_mut(&sdk_app_id)
            .is_some_and(|rooms| rooms.remove(room).is_some())
    }

    /// Removes the users who are in the room (absent ones are ignored, as a kick of someone who already
    /// left). When that empties a room that had users, the room ends, as TRTC ends a room its last user leaves.
    pub(crate) fn remove_users(&mut self, sdk_app_id: u64, room: &RoomId, users: &[String]) -> Result<(), Missing> {
        let rooms = self.by_app.get_mut(&sdk_app_id).ok_or(Missing::Room)?;
        let members = &mut rooms.get_mut(room).ok_or(Missing::Room)?.members;
        let had_users = !members.is_empty();
        for user in users {
            members.remove(user);
        }
        if had_users && members.is_empty() {
            rooms.remove(room);
        }
        Ok(())
    }

    pub(crate) fn set_block(
        &mut self,
        sdk_app_id: u64,
        room: &RoomId,
        user: &str,
        block: Block,
    ) -> Result<(), Missing> {
        let found = self
            .by_app
            .get_mut(&sdk_app_id)
            .and_then(|rooms| rooms.get_mut(room))
            .ok_or(Missing::Room)?;
        found.members.get_mut(user).ok_or(Missing::User)?.block = block;
        Ok(())
    }

    pub(crate) fn count(&self) -> usize {
        self.by_app.values().map(HashMap::len).sum()
    }

    /// Every room, sorted by application then room id.
    pub(crate) fn snapshot(&self) -> Vec<RoomSnapshot> {
        let mut apps: Vec<_> = self.by_app.iter().collect();
        apps.sort_by_key(|(app, _)| **app);
        apps.into_iter()
            .flat_map(|(&sdk_app_id, rooms)| {
                let mut rooms: Vec<_> = rooms.iter().collect();
                rooms.sort_unstable_by(|a, b| a.0.cmp(b.0));
                rooms
                    .into_iter()
                    .map(move |(room_id, room)| room.snapshot(sdk_app_id, room_id))
            })
            .collect()
    }

    pub(crate) fn room(&self, sdk_app_id: u64, room: &RoomId) -> Option<RoomSnapshot> {
        Some(self.by_app.get(&sdk_app_id)?.get(room)?.snapshot(sdk_app_id, room))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_string_rooms_are_separate() {
        let mut rooms = Rooms::default();
        assert!(rooms.create(1, RoomId::Number(7)));
        assert!(!rooms.create(1, RoomId::Number(7)));
        assert!(!rooms.exists(1, &RoomId::from("7")));
        assert!(rooms.create(1, RoomId::from("7")));
        assert_eq!(rooms.count(), 2);
        assert!(rooms.dismiss(1, &RoomId::Number(7)));
        assert!(!rooms.dismiss(1, &RoomId::Number(7)));
        assert!(rooms.exists(1, &RoomId::from("7")));
    }

    #[test]
    fn the_last_user_leaving_ends_the_room_but_an_empty_room_stays() {
        let mut rooms = Rooms::default();
        rooms.create(1, RoomId::Number(1));
        rooms.remove_users(1, &RoomId::Number(1), &["ghost".into()]).unwrap();
        assert!(rooms.exists(1, &RoomId::Number(1)));

        rooms.enter(1, RoomId::Number(2), ["a".to_owned(), "b".to_owned()]);
        rooms.remove_users(1, &RoomId::Number(2), &["a".into()]).unwrap();
        assert!(rooms.exists(1, &RoomId::Number(2)));
        rooms.remove_users(1, &RoomId::Number(2), &["b".into()]).unwrap();
        assert!(!rooms.exists(1, &RoomId::Number(2)));
        assert_eq!(
            rooms.remove_users(1, &RoomId::Number(2), &["b".into()]),
            Err(Missing::Room)
        );
    }

    #[test]
    fn blocking_needs_the_user_in_the_room() {
        let mut rooms = Rooms::default();
        rooms.enter(1, RoomId::from("r"), ["u".to_owned()]);
        assert_eq!(
            rooms.set_block(1, &RoomId::from("r"), "x", Block::Audio),
            Err(Missing::User)
        );
        assert_eq!(
            rooms.set_block(1, &RoomId::from("s"), "u", Block::Audio),
            Err(Missing::Room)
        );
        rooms.set_block(1, &RoomId::from("r"), "u", Block::Video).unwrap();
        assert_eq!(rooms.snapshot()[0].users[0].block, Block::Video);
    }

    #[test]
    fn snapshots_are_sorted_by_application_then_room() {
        let mut rooms = Rooms::default();
        for app in [3, 1, 2] {
            for room in [
                RoomId::from("b"),
                RoomId::Number(20),
                RoomId::from("a"),
                RoomId::Number(3),
            ] {
                rooms.create(app, room);
            }
        }
        let order: Vec<_> = rooms.snapshot().into_iter().map(|r| (r.sdk_app_id, r.room)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.len(), 12);
        assert_eq!(order[0], (1, RoomId::Number(3)));
        assert_eq!(order[3], (1, RoomId::from("b")));
    }
}
