//! Text written piece by piece (`text!`), where `format!` would bring the formatting machinery
//! (`core::fmt`: its argument tables, `Formatter`, padding, the integer writer) into every
//! module: about 3.6 KB of wasm before gzip, and the slower path for every message.

/// A piece of a text: its characters appended to `out`.
pub trait Piece {
    /// Appends the piece.
    fn put(&self, out: &mut String);
}

impl Piece for str {
    // One call per piece: inlined, each piece's growth check and copy would be repeated at
    // every call site (the file checks' module, built for speed, grew by half a kilobyte).
    #[inline(never)]
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

/// A whole number in decimal, as `Display` writes it (also the results' numbers,
/// `src/wasm/compact.rs`).
#[inline(never)]
pub fn decimal(out: &mut String, negative: bool, mut n: u64) {
    if negative {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn put(&self, out: &mut String) {
                decimal(out, false, *self as u64);
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn put(&self, out: &mut String) {
                decimal(out, *self < 0, (*self as i64).unsigned_abs());
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

/// `text!(a, "b", c)`: the pieces one after the other, as a `String` (what
/// `format!("{a}b{c}")` gives, without the formatting machinery).
#[macro_export]
#[doc(hidden)]
macro_rules! text {
    ($($piece:expr),* $(,)?) => {{
        let mut out = ::std::string::String::new();
        $( $crate::piece::Piece::put(&$piece, &mut out); )*
        out
    }};
}
