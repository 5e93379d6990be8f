//! Quantities in objects, through `schema::Quantity` (exact decimal arithmetic).

use goyaml::Node;
use schema::Quantity;

use crate::yaml::scalar_text;

/// The quantity of a scalar node (`250m`, `"1"`, `2`, `1.5Gi`); `None` if it is not one (the
/// schema rules report malformed quantities).
pub(crate) fn of(node: &Node) -> Option<Quantity> {
    let text = match node.value {
        // Plain decimal digits (Rust never writes an exponent), exact for what YAML gave.
        goyaml::NodeValue::Float(f) if f.is_finite() => format!("{f}"),
        _ => scalar_text(node)?,
    };
    Quantity::parse(&text).ok()
}

/// Whether the quantity is a whole number (no fraction, no milli part).
pub(crate) fn is_whole(q: &Quantity) -> bool {
    q.milli_value() == q.value().saturating_mul(1000)
}
