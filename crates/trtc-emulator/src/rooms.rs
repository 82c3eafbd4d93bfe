//! The emulated service's rooms: which rooms exist in which application, who is in them and what is blocked
//! for each. Numeric and string room ids are separate namespaces, as in TRTC: room `1234` and room `"1234"`
//! are two rooms. What the emulator keeps of a room is a [`Room`], of a user in it a [`Member`]; the tasks
//! working in rooms are kept with them ([`Tasks`]), since a room's end ends its tasks. Rooms that ended are
//! kept a while ([`EndedRoom`]), with who was in them and when, for the room and user queries.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::resources::Resources;
pub use crate::room_id::RoomId;
use crate::tasks::Tasks;

/// How many ended rooms are kept for the room and user queries; the oldest go first.
pub(crate) const ENDED_ROOMS_KEPT: usize = 10_000;

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
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
/// a user is one field more.
#[derive(Debug, Default, Clone)]
pub(crate) struct Member {
    /// What `SetUserBlocked` has disabled; nothing for a user who just entered.
    pub(crate) block: Block,
    /// When the user entered, in seconds since the Unix epoch.
    pub(crate) joined_at: u64,
}

/// A user who was in a room and left it (or was removed).
#[derive(Debug, Clone)]
pub(crate) struct Departed {
    pub(crate) user_id: String,
    pub(crate) joined_at: u64,
    pub(crate) left_at: u64,
}

/// What the emulator keeps of a room: its users, by user id, and its history.
#[derive(Debug, Default, Clone)]
pub(crate) struct Room {
    pub(crate) members: BTreeMap<String, Member>,
    /// When the room was created, in seconds since the Unix epoch.
    pub(crate) created_at: u64,
    /// The first user who entered it, if any did.
    pub(crate) creator: Option<String>,
    /// The users who left it, in the order they left.
    pub(crate) departed: Vec<Departed>,
    /// Whether a task was started in it: only then does its end look for tasks to end.
    pub(crate) has_tasks: bool,
}

impl Room {
    fn new(created_at: u64) -> Room {
        Room {
            created_at,
            ..Room::default()
        }
    }
}

/// A room that ended, with the users in it at its end (who left then).
#[derive(Debug, Clone)]
pub(crate) struct EndedRoom {
    pub(crate) sdk_app_id: u64,
    pub(crate) id: RoomId,
    pub(crate) room: Room,
    /// When it ended, in seconds since the Unix epoch.
    pub(crate) destroyed_at: u64,
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

/// Rooms per application, with their users, and the tasks working in them. Rooms are hashed, not ordered:
/// an emulator may hold hundreds of thousands, and every action looks one up; the snapshots sort them.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rooms {
    by_app: HashMap<u64, HashMap<RoomId, Room>>,
    /// The rooms that ended, oldest first, at most [`ENDED_ROOMS_KEPT`].
    ended: VecDeque<EndedRoom>,
    /// Every task, in a room or not.
    pub(crate) tasks: Tasks,
    /// The applications' vocabularies, pictures, voice prints, voices and speech tasks.
    pub(crate) resources: Resources,
}

impl Rooms {
    /// Creates the room; `false` if it already existed.
    pub(crate) fn create(&mut self, sdk_app_id: u64, room: RoomId) -> bool {
        let rooms = self.by_app.entry(sdk_app_id).or_default();
        if rooms.contains_key(&room) {
            return false;
        }
        rooms.insert(room, Room::new(now_secs()));
        true
    }

    /// Puts users in the room, creating it as a first user entering does; users already there keep their state.
    pub(crate) fn enter(&mut self, sdk_app_id: u64, room: RoomId, users: impl IntoIterator<Item = String>) {
        let now = now_secs();
        let found = self
            .by_app
            .entry(sdk_app_id)
            .or_default()
            .entry(room)
            .or_insert_with(|| Room::new(now));
        for user in users {
            if found.creator.is_none() {
                found.creator = Some(user.clone());
            }
            found.members.entry(user).or_insert(Member {
                block: Block::None,
                joined_at: now,
            });
        }
    }

    /// The room, if it exists.
    pub(crate) fn get_mut(&mut self, sdk_app_id: u64, room: &RoomId) -> Option<&mut Room> {
        self.by_app.get_mut(&sdk_app_id)?.get_mut(room)
    }

    /// Keeps an ended room for the queries, and ends its tasks.
    fn ended(&mut self, sdk_app_id: u64, id: RoomId, room: Room) {
        if room.has_tasks {
            self.tasks.end_room(sdk_app_id, &id);
        }
        if self.ended.len() == ENDED_ROOMS_KEPT {
            self.ended.pop_front();
        }
        self.ended.push_back(EndedRoom {
            sdk_app_id,
            id,
            room,
            destroyed_at: now_secs(),
        });
    }

    /// Every room of the application, those that ended included, with its end time if it ended.
    pub(crate) fn history(&self, sdk_app_id: u64) -> impl Iterator<Item = (&RoomId, &Room, Option<u64>)> {
        let alive = self
            .by_app
            .get(&sdk_app_id)
            .into_iter()
            .flat_map(|rooms| rooms.iter().map(|(id, room)| (id, room, None)));
        let ended = self
            .ended
            .iter()
            .filter(move |e| e.sdk_app_id == sdk_app_id)
            .map(|e| (&e.id, &e.room, Some(e.destroyed_at)));
        alive.chain(ended)
    }

    pub(crate) fn exists(&self, sdk_app_id: u64, room: &RoomId) -> bool {
        self.by_app
            .get(&sdk_app_id)
            .is_some_and(|rooms| rooms.contains_key(room))
    }

    /// Removes the room and everyone in it, ending its tasks; `false` when it did not exist.
    pub(crate) fn dismiss(&mut self, sdk_app_id: u64, room: &RoomId) -> bool {
        let Some((id, found)) = self
            .by_app
            .get_mut(&sdk_app_id)
            .and_then(|rooms| rooms.remove_entry(room))
        else {
            return false;
        };
        self.ended(sdk_app_id, id, found);
        true
    }

    /// Removes the users who are in the room (absent ones are ignored, as a kick of someone who already
    /// left). When that empties a room that had users, the room ends, as TRTC ends a room its last user leaves.
    pub(crate) fn remove_users(&mut self, sdk_app_id: u64, room: &RoomId, users: &[String]) -> Result<(), Missing> {
        let rooms = self.by_app.get_mut(&sdk_app_id).ok_or(Missing::Room)?;
        let found = rooms.get_mut(room).ok_or(Missing::Room)?;
        let had_users = !found.members.is_empty();
        let now = now_secs();
        for user in users {
            if let Some((user_id, member)) = found.members.remove_entry(user) {
                found.departed.push(Departed {
                    user_id,
                    joined_at: member.joined_at,
                    left_at: now,
                });
            }
        }
        if had_users && found.members.is_empty() {
            if let Some((id, ended)) = rooms.remove_entry(room) {
                self.ended(sdk_app_id, id, ended);
            }
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
    fn ended_rooms_are_kept_with_who_was_in_them_and_end_their_tasks() {
        let mut rooms = Rooms::default();
        rooms.enter(1, RoomId::Number(5), ["a".to_owned(), "b".to_owned()]);
        rooms.remove_users(1, &RoomId::Number(5), &["a".into()]).unwrap();
        rooms.get_mut(1, &RoomId::Number(5)).unwrap().has_tasks = true;
        let task = crate::tasks::Task {
            family: "recording",
            sdk_app_id: 1,
            room: Some(RoomId::Number(5)),
            status: "InProgress",
            statuses: &["InProgress"],
            created_ms: 0,
            dedupe: None,
            updates: 0,
            params: serde_json::Map::new(),
            failure: None,
            id_answered: true,
            messages: Vec::new(),
        };
        let id = rooms.tasks.insert(crate::tasks::IdStyle::Dotted, task);
        assert!(rooms.dismiss(1, &RoomId::Number(5)));
        assert!(rooms.tasks.get(&id).is_none(), "the room's end ends its task");
        let history: Vec<_> = rooms.history(1).collect();
        assert_eq!(history.len(), 1);
        let (room_id, room, destroyed) = history[0];
        assert_eq!(room_id, &RoomId::Number(5));
        assert!(destroyed.is_some_and(|d| d >= room.created_at));
        assert_eq!(room.creator.as_deref(), Some("a"));
        assert_eq!(room.departed.len(), 1);
        assert_eq!(room.departed[0].user_id, "a");
        assert!(room.members.contains_key("b"), "in the room at its end");
        assert_eq!(rooms.history(2).count(), 0);
        for n in 0..ENDED_ROOMS_KEPT as u64 + 5 {
            rooms.create(3, RoomId::Number(n + 1));
            rooms.dismiss(3, &RoomId::Number(n + 1));
        }
        assert_eq!(rooms.history(3).count(), ENDED_ROOMS_KEPT);
        assert_eq!(rooms.history(1).count(), 0, "the oldest go first");
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
