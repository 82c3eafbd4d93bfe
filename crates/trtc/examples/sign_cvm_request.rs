//! Sign a request for another Tencent Cloud service (CVM `DescribeInstances`) with `trtc-sign` alone: no
//! client, no IO, no clock; the time and the credentials are inputs.
//!
//! ```sh
//! cargo run -p trtc --example sign_cvm_request
//! ```
//!
//! The inputs are those of the published TC3-HMAC-SHA256 example of the API documentation, so the
//! signature printed is the documented one. Send the body with the printed headers over any HTTP client.

use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )?;
    // The exact bytes that will be sent: the signature covers them.
    let body = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    let params = SigningParams::new(
        "cvm",
        "cvm.tencentcloudapi.com",
        "DescribeInstances",
        "2017-03-12",
        Timestamp::from_secs(1551113065)?, // in a program: the current time
    )
    .with_region("ap-guangzhou");
    let request = SignableRequest::post("application/json; charset=utf-8", body.as_bytes());
    let signed = sign(&credentials, &params, &request)?;

    println!("canonical request:\n{}\n", signed.canonical_request());
    println!("string to sign:\n{}\n", signed.string_to_sign());
    println!("POST https://{}/", signed.host());
    println!("Content-Type: {}", signed.content_type());
    for header in signed.headers() {
        println!("{}: {}", header.name(), header.value());
    }
    println!("\n{body}");

    assert_eq!(
        signed.signature(),
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        "the documented signature"
    );
    Ok(())
}
