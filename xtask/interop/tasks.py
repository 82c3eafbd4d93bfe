"""The task lifecycles checked with the official Python SDK: a recording's whole life and a CDN relay's, the
room and user queries, and the codes of a TaskId that names no task. Run by interop.py after its own checks."""

import json

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.trtc.v20190722 import models


def _request(model, fields):
    req = model()
    req.from_json_string(json.dumps(fields))
    return req


def _code(call):
    try:
        call()
    except TencentCloudSDKException as e:
        return e.get_code()
    raise AssertionError("expected an error, the call succeeded")


def _expect(condition, message):
    if not condition:
        raise AssertionError(message)


def run(checks, emulator, client, app):
    """Adds the task checks to `checks`: `client` is the SDK client signing with the emulator's key for `app`."""
    room = 4242
    emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": room, "users": ["alice", "bob"]})

    def recording_whole_life():
        create = _request(models.CreateCloudRecordingRequest, {
            "SdkAppId": app, "RoomId": str(room), "UserId": "recorder_1", "UserSig": "sig",
            "RecordParams": {"RecordMode": 2}, "StorageParams": {"CloudVod": {"TencentVod": {}}}})
        task = client.CreateCloudRecording(create).TaskId
        _expect(len(task) == 72 and task.endswith("AQ.."), task)
        ids = {"SdkAppId": app, "TaskId": task}
        described = client.DescribeCloudRecording(_request(models.DescribeCloudRecordingRequest, ids))
        _expect(described.Status == "InProgress" and described.TaskId == task, described.to_json_string())
        _expect(described.StorageFileList == [], described.to_json_string())
        modify = dict(ids, MixLayoutParams={"MixLayoutMode": 3})
        _expect(client.ModifyCloudRecording(_request(models.ModifyCloudRecordingRequest, modify)).TaskId == task,
                "modify")
        _expect(client.DeleteCloudRecording(_request(models.DeleteCloudRecordingRequest, ids)).TaskId == task,
                "delete")
        again = _code(lambda: client.DescribeCloudRecording(_request(models.DescribeCloudRecordingRequest, ids)))
        _expect(again == "ResourceNotFound", again)
        no_room = _code(lambda: client.CreateCloudRecording(_request(models.CreateCloudRecordingRequest, dict(
            json.loads(create.to_json_string()), RoomId="7"))))
        _expect(no_room == "FailedOperation.RoomNotExist", no_room)
        return "InProgress, then ResourceNotFound; FailedOperation.RoomNotExist for a room that is not there"

    def cdn_relay_whole_life():
        start = _request(models.StartPublishCdnStreamRequest, {
            "SdkAppId": app, "RoomId": str(room), "RoomIdType": 0, "WithTranscoding": 1,
            "AgentParams": {"UserId": "relay_1", "UserSig": "sig"},
            "PublishCdnParams": [{"PublishCdnUrl": "rtmp://example.com/live/a", "IsTencentCdn": 1}]})
        task = client.StartPublishCdnStream(start).TaskId
        update = {"SdkAppId": app, "TaskId": task, "SequenceNumber": 1, "WithTranscoding": 1}
        _expect(client.UpdatePublishCdnStream(_request(models.UpdatePublishCdnStreamRequest, update)).TaskId == task,
                "update")
        outdated = _code(lambda: client.UpdatePublishCdnStream(_request(models.UpdatePublishCdnStreamRequest, update)))
        _expect(outdated == "FailedOperation.RequestOutdated", outdated)
        stop = {"SdkAppId": app, "TaskId": task}
        _expect(client.StopPublishCdnStream(_request(models.StopPublishCdnStreamRequest, stop)).TaskId == task, "stop")
        again = _code(lambda: client.StopPublishCdnStream(_request(models.StopPublishCdnStreamRequest, stop)))
        _expect(again == "ResourceNotFound", again)
        return "started, updated, FailedOperation.RequestOutdated, stopped, then ResourceNotFound"

    def dismissing_ends_tasks():
        conversation = client.StartAIConversation(_request(models.StartAIConversationRequest, {
            "SdkAppId": app, "RoomId": str(room),
            "AgentConfig": {"UserId": "bot", "UserSig": "sig", "TargetUserId": "alice"}})).TaskId
        _expect(conversation.startswith("v2_"), conversation)
        ids = {"TaskId": conversation}
        status = client.DescribeAIConversation(_request(models.DescribeAIConversationRequest, ids)).Status
        _expect(status == "InProgress", status)
        client.DismissRoom(_request(models.DismissRoomRequest, {"SdkAppId": app, "RoomId": room}))
        gone = _code(lambda: client.DescribeAIConversation(_request(models.DescribeAIConversationRequest, ids)))
        _expect(gone == "FailedOperation.TaskNotExist", gone)
        return "InProgress, then FailedOperation.TaskNotExist after DismissRoom"

    def room_and_user_queries():
        window = {"SdkAppId": app, "StartTime": 1, "EndTime": 4000000000}
        rooms = client.DescribeRoomInfo(_request(models.DescribeRoomInfoRequest, dict(window, RoomId=str(room))))
        _expect(rooms.Total == 1 and rooms.RoomList[0].IsFinished, rooms.to_json_string())
        users = client.DescribeUserInfo(_request(models.DescribeUserInfoRequest, dict(
            window, CommId=rooms.RoomList[0].CommId)))
        _expect(users.Total == 2 and all(u.Finished for u in users.UserList), users.to_json_string())
        return "the dismissed room and its two users"

    checks.run("Python SDK: a recording's whole life", recording_whole_life)
    checks.run("Python SDK: a CDN relay's whole life", cdn_relay_whole_life)
    checks.run("Python SDK: dismissing a room ends its AI conversation", dismissing_ends_tasks)
    checks.run("Python SDK: DescribeRoomInfo and DescribeUserInfo", room_and_user_queries)
