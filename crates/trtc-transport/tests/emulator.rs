//! The whole path over loopback: client -> signer -> hyper -> emulator (which verifies the signature) -> answer.

use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_transport::{Client, Credentials, DismissRoomRequest, Error, ErrorCode, Region};

const APP: u64 = 1400000001;

async fn client_for(emulator: &Emulator, secret_id: &str, secret_key: &str) -> Client {
    Client::builder()
        .credential(Credentials::new(secret_id, secret_key).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap()
}

#[tokio::test]
async fn dismisses_an_existing_room() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY).await;
    let out = client.dismiss_room(DismissRoomRequest::new(APP, 1234)).await.unwrap();
    assert_eq!(out.request_id.len(), 36, "a UUID request id: {}", out.request_id);
    assert!(!emulator.room_exists(APP, 1234), "the room is gone after dismissal");
}

#[tokio::test]
async fn missing_room_is_room_not_exist_with_request_id() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY).await;
    client.dismiss_room(DismissRoomRequest::new(APP, 1234)).await.unwrap();
    let err = client
        .dismiss_room(DismissRoomRequest::new(APP, 1234))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.code, ErrorCode::FailedOperationRoomNotExist);
    assert_eq!(api.request_id.len(), 36);
    assert!(!api.message.is_empty());
}

#[tokio::test]
async fn wrong_key_is_signature_failure() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, "notTheRightKey").await;
    let err = client
        .dismiss_room(DismissRoomRequest::new(APP, 1234))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSignatureFailure), "{err}");
    assert!(emulator.room_exists(APP, 1234), "a refused request changes nothing");
}

#[tokio::test]
async fn unknown_secret_id_is_secret_id_not_found() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let client = client_for(&emulator, "AKIDnobodyHasThisKey", DEMO_SECRET_KEY).await;
    let err = client
        .dismiss_room(DismissRoomRequest::new(APP, 1234))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSecretIdNotFound), "{err}");
}

#[tokio::test]
async fn app_not_owned_is_unauthorized() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(1400000002, 1))
        .await
        .unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY).await;
    let err = client
        .dismiss_room(DismissRoomRequest::new(1400000002, 1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::UnauthorizedOperationSdkAppId), "{err}");
}

#[tokio::test]
async fn invalid_request_is_refused_before_sending() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP)).await.unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY).await;
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 0)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("RoomId"), "{err}");
}

#[tokio::test]
async fn unsupported_region_is_refused_before_sending() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1)).await.unwrap();
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::EuFrankfurt)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert!(
        err.to_string().contains("ap-beijing, ap-guangzhou, ap-singapore"),
        "{err}"
    );
    assert!(emulator.room_exists(APP, 1));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP)).await.unwrap();
    let endpoint = emulator.endpoint();
    emulator.shutdown().await;
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .build()
        .unwrap();
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn get_requests_are_signed_over_the_query_string() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 77)).await.unwrap();
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .method(trtc_transport::Method::Get)
        .build()
        .unwrap();
    client.dismiss_room(DismissRoomRequest::new(APP, 77)).await.unwrap();
    assert!(!emulator.room_exists(APP, 77));
}

#[tokio::test]
async fn the_x_tc_action_signed_header_set_is_accepted() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 78)).await.unwrap();
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .signed_headers(trtc_sign::SignedHeaders::ContentTypeHostAction)
        .build()
        .unwrap();
    client.dismiss_room(DismissRoomRequest::new(APP, 78)).await.unwrap();
    assert!(!emulator.room_exists(APP, 78));
}

/// Hands out two key pairs in turn, as a provider does when temporary credentials are refreshed.
#[derive(Debug)]
struct Rotating {
    keys: [Credentials; 2],
    next: std::sync::atomic::AtomicUsize,
}

impl trtc_transport::ProvideCredentials for Rotating {
    fn provide_credentials(
        &self,
    ) -> trtc_transport::BoxFuture<'_, Result<Credentials, trtc_transport::CredentialsError>> {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) % 2;
        Box::pin(async move { Ok(self.keys[i].clone()) })
    }
}

#[tokio::test]
async fn rotated_credentials_sign_with_their_own_key() {
    let emulator = Emulator::start(
        EmulatorConfig::demo(APP)
            .credential(
                "AKIDsecondKey0000000000000000000000",
                "secondSecretKey0000000000000000",
                [APP],
            )
            .room(APP, 1)
            .room(APP, 2)
            .room(APP, 3),
    )
    .await
    .unwrap();
    let provider = Rotating {
        keys: [
            Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap(),
            Credentials::new("AKIDsecondKey0000000000000000000000", "secondSecretKey0000000000000000").unwrap(),
        ],
        next: Default::default(),
    };
    let client = Client::builder()
        .credentials_provider(provider)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    for room in 1..=3 {
        client.dismiss_room(DismissRoomRequest::new(APP, room)).await.unwrap();
    }
    assert_eq!(emulator.room_count(), 0);
}

#[tokio::test]
async fn a_provider_with_nothing_to_give_is_a_credentials_error() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1)).await.unwrap();
    let empty = trtc_transport::EnvironmentProvider::with_env(trtc_transport::EnvVars::from_pairs(Vec::<(
        String,
        String,
    )>::new()));
    let client = Client::builder()
        .credentials_provider(empty)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID"), "{err}");
    assert!(emulator.room_exists(APP, 1));
}

#[tokio::test]
async fn untyped_calls_reach_any_action() {
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 90)).await.unwrap();
    let client = client_for(&emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY).await;
    let answer = client
        .call_json(
            "trtc",
            "DismissRoom",
            "2019-07-22",
            serde_json::json!({"SdkAppId": APP, "RoomId": 90}),
        )
        .await
        .unwrap();
    assert_eq!(answer["RequestId"].as_str().map(str::len), Some(36), "{answer}");
    assert!(!emulator.room_exists(APP, 90));
    let err = client
        .call_json(
            "trtc",
            "DismissRoom",
            "2019-07-22",
            serde_json::json!({"SdkAppId": APP}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("MissingParameter.RoomId"), "{err}");
    let err = client
        .call_json("trtc", "DismissRoom", "2019-07-22", serde_json::json!([1, 2]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}
