//! The `helm template` options of one render of `chartkit.yaml`, shared by `lint`, `golden`.

use std::path::Path;

use helm::Flavor;
use helm::template::TemplateOptions;

/// `base` joined with `rel`, written with `/` (`rel` unchanged when `base` is empty or `rel` is
/// absolute): paths as the user sees them in reports.
pub fn join(base: &Path, rel: &str) -> String {
    if base.as_os_str().is_empty() || Path::new(rel).is_absolute() {
        rel.to_string()
    } else {
        format!("{}/{rel}", base.display())
    }
}

/// The options that render `r` like `helm template` would, with the chart and values paths
/// taken relative to `dir` (the directory of chartkit.yaml).
pub fn template_options(dir: &Path, r: &config::Render<'_>) -> TemplateOptions {
    let t = r.target;
    TemplateOptions {
        release_name: t.release.clone(),
        chart: join(dir, &t.chart).into(),
        namespace: t.namespace.clone(),
        values_files: r.values.iter().map(|v| join(dir, v).into()).collect(),
        set: r.set.iter().map(|s| s.to_string()).collect(),
        kube_version: Some(t.kube_version.clone()),
        flavor: if t.helm_version == 3 {
            Flavor::Helm3
        } else {
            Flavor::Helm4
        },
        ..TemplateOptions::default()
    }
}
