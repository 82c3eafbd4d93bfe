"""The task lifecycles checked with the official clients: a recording's whole life and a CDN relay's, through the
Python SDK and through tccli with the same expectations; the room and user queries, and the codes of a TaskId
that names no task, through the SDK. Run by interop.py after its own checks."""

import json

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.trtc.v20190722 import models


class ApiError(Exception):
    """An error the service answered, whichever client read it."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code


def sdk_caller(client):
    """`call(action, fields)` through the SDK's typed models: the answer's members, or ApiError."""
    def call(action, fields):
        request = getattr(models, action + "Request")()
        request.from_json_string(json.dumps(fields))
        try:
            response = getattr(client, action)(request)
        except TencentCloudSDKException as e:
            raise ApiError(e.get_code(), e.get_message())
        return json.loads(response.to_json_string())
    return call


def _code(call):
    try:
        call()
    except ApiError as e:
        return e.code
    raise AssertionError("expected an error, the call succeeded")


def _expect(condition, message):
    if not condition:
        raise AssertionError(message)


def recording_whole_life(call, app, room):
    """Create, describe (InProgress), modify, delete, describe again (ResourceNotFound); create in a room that
    is not there (FailedOperation.RoomNotExist)."""
    create = {"SdkAppId": app, "RoomId": str(room), "UserId": "recorder_1", "UserSig": "sig",
              "RecordParams": {"RecordMode": 2}, "StorageParams": {"CloudVod": {"TencentVod": {}}}}
    task = call("CreateCloudRecording", create)["TaskId"]
    _expect(len(task) == 72 and task.endswith("AQ.."), task)
    ids = {"SdkAppId": app, "TaskId": task}
    described = call("DescribeCloudRecording", ids)
    _expect(described["Status"] == "InProgress" and described["TaskId"] == task, described)
    _expect(described["StorageFileList"] == [], described)
    _expect(call("ModifyCloudRecording", dict(ids, MixLayoutParams={"MixLayoutMode": 3}))["TaskId"] == task,
            "modify")
    _expect(call("DeleteCloudRecording", ids)["TaskId"] == task, "delete")
    again = _code(lambda: call("DescribeCloudRecording", ids))
    _expect(again == "ResourceNotFound", again)
    no_room = _code(lambda: call("CreateCloudRecording", dict(create, RoomId="7")))
    _expect(no_room == "FailedOperation.RoomNotExist", no_room)
    return "InProgress, then ResourceNotFound; FailedOperation.RoomNotExist for a room that is not there"


def cdn_relay_whole_life(call, app, room):
    """Start, update, the same update again (FailedOperation.RequestOutdated), stop, stop again
    (ResourceNotFound)."""
    start = {"SdkAppId": app, "RoomId": str(room), "RoomIdType": 0, "WithTranscoding": 1,
             "AgentParams": {"UserId": "relay_1", "UserSig": "sig"},
             "PublishCdnParams": [{"PublishCdnUrl": "rtmp://example.com/live/a", "IsTencentCdn": 1}]}
    task = call("StartPublishCdnStream", start)["TaskId"]
    update = {"SdkAppId": app, "TaskId": task, "SequenceNumber": 1, "WithTranscoding": 1}
    _expect(call("UpdatePublishCdnStream", update)["TaskId"] == task, "update")
    outdated = _code(lambda: call("UpdatePublishCdnStream", update))
    _expect(outdated == "FailedOperation.RequestOutdated", outdated)
    stop = {"SdkAppId": app, "TaskId": task}
    _expect(call("StopPublishCdnStream", stop)["TaskId"] == task, "stop")
    again = _code(lambda: call("StopPublishCdnStream", stop))
    _expect(again == "ResourceNotFound", again)
    return "started, updated, FailedOperation.RequestOutdated, stopped, then ResourceNotFound"


def run(checks, emulator, client, app):
    """Adds the task checks to `checks`: `client` is the SDK client signing with the emulator's key for `app`."""
    room = 4242
    emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": room, "users": ["alice", "bob"]})
    call = sdk_caller(client)

    def dismissing_ends_tasks():
        conversation = call("StartAIConversation", {
            "SdkAppId": app, "RoomId": str(room),
            "AgentConfig": {"UserId": "bot", "UserSig": "sig", "TargetUserId": "alice"}})["TaskId"]
        _expect(conversation.startswith("v2_"), conversation)
        ids = {"TaskId": conversation}
        status = call("DescribeAIConversation", ids)["Status"]
        _expect(status == "InProgress", status)
        call("DismissRoom", {"SdkAppId": app, "RoomId": room})
        gone = _code(lambda: call("DescribeAIConversation", ids))
        _expect(gone == "FailedOperation.TaskNotExist", gone)
        return "InProgress, then FailedOperation.TaskNotExist after DismissRoom"

    def room_and_user_queries():
        window = {"SdkAppId": app, "StartTime": 1, "EndTime": 4000000000}
        rooms = call("DescribeRoomInfo", dict(window, RoomId=str(room)))
        _expect(rooms["Total"] == 1 and rooms["RoomList"][0]["IsFinished"], rooms)
        users = call("DescribeUserInfo", dict(window, CommId=rooms["RoomList"][0]["CommId"]))
        _expect(users["Total"] == 2 and all(u["Finished"] for u in users["UserList"]), users)
        return "the dismissed room and its two users"

    checks.run("Python SDK: a recording's whole life", lambda: recording_whole_life(call, app, room))
    checks.run("Python SDK: a CDN relay's whole life", lambda: cdn_relay_whole_life(call, app, room))
    checks.run("Python SDK: dismissing a room ends its AI conversation", dismissing_ends_tasks)
    checks.run("Python SDK: DescribeRoomInfo and DescribeUserInfo", room_and_user_queries)


def run_tccli(checks, emulator, call, app):
    """Adds the lifecycles through tccli to `checks`: `call(action, fields)` runs `tccli trtc ACTION` against
    the emulator for `app` and answers the members of its Response, or raises ApiError with the code it
    printed."""
    room = 4343
    emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": room, "users": ["alice", "bob"]})
    checks.run("tccli: a recording's whole life", lambda: recording_whole_life(call, app, room))
    checks.run("tccli: a CDN relay's whole life", lambda: cdn_relay_whole_life(call, app, room))
