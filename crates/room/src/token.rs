//! Room tokens: 128 bits from the operating system's random source, written base64url so
//! they fit in a URL's path, and compared in constant time so a guess learns nothing from how
//! long the refusal took.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// An unguessable secret: the join token, the facilitator's, a participant's resume secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// 16 random bytes: 128 bits.
    pub fn new() -> Token {
        let mut bytes = [0u8; 16];
        // The OS random source failing is the machine being unusable, not bad input.
        getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no random source: {e}"));
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this token, in time that does not depend on where they differ.
    pub fn matches(&self, given: &str) -> bool {
        constant_time_eq::constant_time_eq(self.0.as_bytes(), given.as_bytes())
    }
}

impl Default for Token {
    fn default() -> Self {
        Token::new()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never in logs
        f.write_str("Token(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_128_bits_and_match_only_themselves() {
        let a = Token::new();
        let b = Token::new();
        assert_eq!(
            a.as_str().len(),
            22,
            "16 bytes in base64url without padding"
        );
        assert_ne!(a, b);
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(&a.as_str()[..21]));
        assert!(!a.matches(""));
        assert_eq!(format!("{a:?}"), "Token(…)");
    }
}
