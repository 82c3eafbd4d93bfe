//! The audio the speech actions answer: silence as long as the text would take to say, in the format asked
//! for (`pcm`: 16-bit little-endian mono samples; `wav`: the same behind a RIFF header; `mp3`: silent MPEG-2
//! Layer III frames), so a caller's decoding, buffering and playback paths run on real, well-formed audio.
//! The emulator carries no voices: it never says the words.

/// How long the text takes to say at `speed` (1.0 the voice's own pace): 150 ms a character, at least 200 ms.
pub(super) fn duration_ms(text: &str, speed: f64) -> u64 {
    let chars = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
    let at_one = chars.saturating_mul(150).max(200);
    let speed = if speed.is_finite() && speed > 0.0 { speed } else { 1.0 };
    // Durations are far below 2^53 ms, so the float round trip is exact enough.
    (at_one as f64 / speed).round() as u64
}

/// `ms` of 16-bit mono silence at `rate` samples a second.
pub(super) fn pcm(rate: u32, ms: u64) -> Vec<u8> {
    let samples = u64::from(rate).saturating_mul(ms) / 1000;
    vec![0; usize::try_from(samples.saturating_mul(2)).unwrap_or(0)]
}

/// `pcm` behind the 44-byte RIFF/WAVE header of 16-bit mono PCM at `rate`.
pub(super) fn wav(rate: u32, ms: u64) -> Vec<u8> {
    let data = pcm(rate, ms);
    let data_len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // the fmt chunk's size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes()); // bytes a second
    out.extend_from_slice(&2u16.to_le_bytes()); // bytes a frame
    out.extend_from_slice(&16u16.to_le_bytes()); // bits a sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(&data);
    out
}

/// Silent MPEG-2 Layer III frames (mono, no CRC) at `rate` (16000 or 24000) and `kbps` (MPEG-2 Layer III
/// rates up to 160; a higher one is written at 160), enough of them to last `ms`. Each frame is its header,
/// a side information of zeros (no Huffman data: every sample decodes to zero) and zero padding.
pub(super) fn mp3(rate: u32, kbps: u32, ms: u64) -> Vec<u8> {
    const RATES: [u32; 14] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let (index, kbps) = RATES
        .iter()
        .enumerate()
        .rev()
        .find(|(_, r)| **r <= kbps.max(8))
        .map_or((1, 8), |(i, r)| (i + 1, *r));
    // MPEG-2 sampling rate indexes: 22050 = 0, 24000 = 1, 16000 = 2.
    let rate_index: u8 = if rate == 16000 { 2 } else { 1 };
    let rate = if rate == 16000 { 16000 } else { 24000 };
    // 576 samples a frame in MPEG-2 Layer III: 72 * bitrate / rate bytes.
    let frame_len = usize::try_from(72 * kbps * 1000 / rate).unwrap_or(0);
    let frames = (u64::from(rate) * ms / 1000).div_ceil(576).max(1);
    let header = [
        0xFF,
        0xF3,                                                        // sync, MPEG-2, Layer III, no CRC
        (u8::try_from(index).unwrap_or(1) << 4) | (rate_index << 2), // bitrate, rate, no padding
        0xC0,                                                        // mono
    ];
    let mut out = Vec::with_capacity(frame_len * usize::try_from(frames).unwrap_or(0));
    for _ in 0..frames {
        out.extend_from_slice(&header);
        out.resize(out.len() + frame_len - header.len(), 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_headers_describe_their_samples() {
        let audio = wav(16000, 500);
        assert_eq!(&audio[..4], b"RIFF");
        assert_eq!(&audio[8..16], b"WAVEfmt ");
        assert_eq!(u32::from_le_bytes(audio[24..28].try_into().unwrap()), 16000);
        let data = u32::from_le_bytes(audio[40..44].try_into().unwrap());
        assert_eq!(data, 16000, "half a second of 2-byte samples");
        assert_eq!(audio.len(), 44 + 16000);
        assert_eq!(
            u32::from_le_bytes(audio[4..8].try_into().unwrap()) as usize,
            audio.len() - 8
        );
    }

    #[test]
    fn mp3_frames_are_mpeg2_layer3_headers_at_their_length() {
        let audio = mp3(24000, 64, 1000);
        // 64 kbps at 24 kHz: 72 * 64000 / 24000 = 192 bytes a frame; 1 s = 24000 / 576 -> 42 frames.
        assert_eq!(audio.len(), 42 * 192);
        for frame in audio.chunks(192) {
            assert_eq!(frame[0], 0xFF);
            assert_eq!(frame[1] & 0xFE, 0xF2, "sync, MPEG-2, Layer III");
            assert_eq!(frame[2] >> 4, 8, "bitrate index of 64 kbps");
            assert_eq!((frame[2] >> 2) & 3, 1, "24000 Hz");
            assert_eq!(frame[3] >> 6, 3, "mono");
        }
        assert_eq!(mp3(16000, 256, 100)[2] >> 4, 14, "160 kbps, MPEG-2's highest");
    }

    #[test]
    fn durations_follow_the_text_and_the_speed() {
        assert_eq!(duration_ms("你好", 1.0), 300);
        assert_eq!(duration_ms("你好", 2.0), 150);
        assert_eq!(duration_ms("", 1.0), 200);
        assert_eq!(pcm(24000, 1000).len(), 48000);
    }
}
