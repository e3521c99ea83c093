//! A deterministic stand-in for the real model, for unit tests.

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::Embedder;

/// Weight of a word bigram relative to a single word: word overlap dominates,
/// shared phrases add a little.
const BIGRAM_WEIGHT: f32 = 0.5;

/// **For unit tests only.** Embeds text by hashing its lowercased words and word
/// pairs into signed buckets (the "hashing trick"), then L2-normalising.
///
/// Texts that share words get similar vectors, unrelated texts get nearly
/// orthogonal ones, and the same text always gets the same vector, on every
/// machine, with no model files and in microseconds. It knows nothing of meaning
/// ("car" and "automobile" are unrelated to it), so it proves plumbing, not quality.
#[derive(Debug, Clone)]
pub struct HashEmbedder {
    dimension: usize,
    model_id: String,
    checksum: String,
}

impl HashEmbedder {
    /// A hash embedder producing vectors of `dimension` components (at least 1).
    pub fn new(dimension: usize) -> Self {
        let dimension = dimension.max(1);
        let model_id = format!("hash-embedder-v1-{dimension}");
        // Distinct per dimension, so caches keyed on it never mix vector sizes.
        let checksum = hex::encode(Sha256::digest(model_id.as_bytes()));
        Self {
            dimension,
            model_id,
            checksum,
        }
    }

    fn embed_one(&self, text: &str) -> Vec<f32> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut vector = vec![0.0f32; self.dimension];
        if words.is_empty() {
            // Still a unit vector, like the real model's vector for an empty text.
            self.add(&mut vector, b"\x00empty", 1.0);
        }
        for word in &words {
            self.add(&mut vector, word.as_bytes(), 1.0);
        }
        for pair in words.windows(2) {
            let bigram = format!("{} {}", pair[0], pair[1]);
            self.add(&mut vector, bigram.as_bytes(), BIGRAM_WEIGHT);
        }
        normalize(&mut vector);
        vector
    }

    fn add(&self, vector: &mut [f32], feature: &[u8], weight: f32) {
        let hash = fnv1a(feature);
        // The low bits pick the bucket, the top bit the sign, so collisions cancel
        // out on average instead of piling up.
        let bucket = (hash % self.dimension as u64) as usize;
        let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
        vector[bucket] += sign * weight;
    }
}

impl Default for HashEmbedder {
    /// 384 dimensions, like the real model.
    fn default() -> Self {
        Self::new(384)
    }
}

impl Embedder for HashEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn checksum(&self) -> &str {
        &self.checksum
    }

    fn dimension(&self) -> usize {
        self.dimension
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(texts.iter().map(|text| self.embed_one(text)).collect())
    }
}

/// FNV-1a, 64 bits: fixed forever, unlike `std`'s hasher, so vectors never change
/// between Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV's low bits mix poorly for short inputs; one multiply-xorshift round fixes that.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

fn normalize(vector: &mut [f32]) {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cosine;

    fn embed(embedder: &HashEmbedder, text: &str) -> Vec<f32> {
        embedder.embed(&[text]).unwrap().remove(0)
    }

    #[test]
    fn vectors_have_the_dimension_asked_for_and_unit_length() {
        for dimension in [1, 8, 384] {
            let embedder = HashEmbedder::new(dimension);
            for text in ["", "   ", "one", "OpenAI shuts down Sora, its video model"] {
                let vector = embed(&embedder, text);
                assert_eq!(vector.len(), dimension);
                let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
                assert!((norm - 1.0).abs() < 1e-5, "{text:?} has norm {norm}");
            }
        }
    }

    #[test]
    fn same_text_same_vector_and_case_is_ignored() {
        let embedder = HashEmbedder::default();
        assert_eq!(
            embed(&embedder, "Memory chip giant"),
            embed(&embedder, "memory CHIP giant")
        );
        assert_eq!(
            embed(&embedder, "a b"),
            HashEmbedder::new(384).embed(&["a b"]).unwrap()[0]
        );
    }

    #[test]
    fn shared_words_score_higher_than_unrelated_words() {
        let embedder = HashEmbedder::default();
        let query = embed(&embedder, "SK hynix plans a US IPO for memory chips");
        let related = embed(&embedder, "memory chips maker SK hynix files for IPO");
        let unrelated = embed(
            &embedder,
            "a judge ruled for the defense department contract",
        );
        let (close, far) = (cosine(&query, &related), cosine(&query, &unrelated));
        assert!(close > 0.4, "related {close}");
        assert!(far < 0.2, "unrelated {far}");
    }

    #[test]
    fn word_order_matters_through_bigrams() {
        let embedder = HashEmbedder::default();
        let ab = embed(&embedder, "dog bites man");
        let ba = embed(&embedder, "man bites dog");
        let similarity = cosine(&ab, &ba);
        assert!(similarity < 0.99 && similarity > 0.5, "{similarity}");
    }

    #[test]
    fn batch_order_is_input_order() {
        let embedder = HashEmbedder::new(64);
        let texts = ["first text", "second", "the third and longest text of all"];
        let batch = embedder.embed(&texts).unwrap();
        for (text, vector) in texts.iter().zip(&batch) {
            assert_eq!(&embed(&embedder, text), vector);
        }
        assert!(embedder.embed(&[]).unwrap().is_empty());
    }

    #[test]
    fn checksum_and_id_depend_on_dimension() {
        let (a, b) = (HashEmbedder::new(8), HashEmbedder::new(16));
        assert_ne!(a.checksum(), b.checksum());
        assert_ne!(a.model_id(), b.model_id());
        assert_eq!(a.checksum().len(), 64);
    }
}
