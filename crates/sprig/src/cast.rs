//! Go-style conversions (spf13/cast, as Sprig uses it): `toString`, `int`, `int64`, `float64`.
