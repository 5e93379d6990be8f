//! Removed and deprecated API versions (CK-API-001, CK-API-002): a table kept by hand from
//! Kubernetes' "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/
//! deprecation-guide/) and the release notes of 1.29 to 1.35.

/// One deprecated apiVersion of one kind (or of every kind of the group version).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deprecation {
    /// The deprecated apiVersion (`policy/v1beta1`).
    pub api_version: &'static str,
    /// The kind, or `"*"` for every kind of the apiVersion.
    pub kind: &'static str,
    /// The minor version (1.x) that deprecated it.
    pub deprecated_in: u32,
    /// The minor version (1.x) that stopped serving it; `None` if no removal is scheduled.
    pub removed_in: Option<u32>,
    /// What to use instead (`policy/v1`), or an explanation when nothing replaces it.
    pub replacement: &'static str,
}

const fn d(
    api_version: &'static str,
    kind: &'static str,
    deprecated_in: u32,
    removed_in: u32,
    replacement: &'static str,
) -> Deprecation {
    Deprecation {
        api_version,
        kind,
        deprecated_in,
        removed_in: Some(removed_in),
        replacement,
    }
}

/// The table, grouped by the release that removed them.
pub const TABLE: &[Deprecation] = &[
    // 1.16
    d("extensions/v1beta1", "DaemonSet", 9, 16, "apps/v1"),
    d("extensions/v1beta1", "Deployment", 9, 16, "apps/v1"),
    d("extensions/v1beta1", "ReplicaSet", 9, 16, "apps/v1"),
    d("extensions/v1beta1", "StatefulSet", 9, 16, "apps/v1"),
    d(
        "extensions/v1beta1",
        "NetworkPolicy",
        9,
        16,
        "networking.k8s.io/v1",
    ),
    d(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        10,
        16,
        "policy/v1beta1 (itself removed in 1.25: use Pod Security Admission)",
    ),
    d("apps/v1beta1", "*", 9, 16, "apps/v1"),
    d("apps/v1beta2", "*", 9, 16, "apps/v1"),
    // 1.22
    d(
        "extensions/v1beta1",
        "Ingress",
        14,
        22,
        "networking.k8s.io/v1",
    ),
    d(
        "networking.k8s.io/v1beta1",
        "Ingress",
        19,
        22,
        "networking.k8s.io/v1",
    ),
    d(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        22,
        "networking.k8s.io/v1",
    ),
    d(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
    ),
    d(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
    ),
    d(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        22,
        "apiextensions.k8s.io/v1",
    ),
    d(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        19,
        22,
        "apiregistration.k8s.io/v1",
    ),
    d(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        19,
        22,
        "authentication.k8s.io/v1",
    ),
    d(
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    d(
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    d(
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    d(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        22,
        "certificates.k8s.io/v1",
    ),
    d(
        "coordination.k8s.io/v1beta1",
        "Lease",
        19,
        22,
        "coordination.k8s.io/v1",
    ),
    d(
        "rbac.authorization.k8s.io/v1beta1",
        "*",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    d(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        22,
        "scheduling.k8s.io/v1",
    ),
    d(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    d(
        "storage.k8s.io/v1beta1",
        "CSINode",
        17,
        22,
        "storage.k8s.io/v1",
    ),
    d(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    d(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    // 1.25
    d("batch/v1beta1", "CronJob", 21, 25, "batch/v1"),
    d(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        25,
        "discovery.k8s.io/v1",
    ),
    d("events.k8s.io/v1beta1", "Event", 19, 25, "events.k8s.io/v1"),
    d(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        25,
        "autoscaling/v2",
    ),
    d("policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1"),
    d(
        "policy/v1beta1",
        "PodSecurityPolicy",
        21,
        25,
        "nothing: PodSecurityPolicy is gone, use Pod Security Admission",
    ),
    d(
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        20,
        25,
        "node.k8s.io/v1",
    ),
    // 1.26
    d(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    d(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    d(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        26,
        "autoscaling/v2",
    ),
    // 1.27
    d(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        27,
        "storage.k8s.io/v1",
    ),
    // 1.29
    d(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    d(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.32
    d(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    d(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // deprecated, no removal scheduled
    Deprecation {
        api_version: "v1",
        kind: "Endpoints",
        deprecated_in: 33,
        removed_in: None,
        replacement: "discovery.k8s.io/v1 EndpointSlice",
    },
];

/// The table entry for `apiVersion` and `kind`, if any.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static Deprecation> {
    TABLE
        .iter()
        .find(|d| d.api_version == api_version && d.kind == kind)
        .or_else(|| {
            TABLE
                .iter()
                .find(|d| d.api_version == api_version && d.kind == "*")
        })
}

/// What the table says about an apiVersion and kind at Kubernetes 1.`minor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No longer served (CK-API-001).
    Removed(&'static Deprecation),
    /// Deprecated at `minor`, or removed within `window` minors after it (CK-API-002).
    Deprecated(&'static Deprecation),
}

/// The status of `apiVersion`/`kind` at 1.`minor`; `window`: how many minors ahead a removal
/// counts as a deprecation.
pub fn status(api_version: &str, kind: &str, minor: u32, window: u32) -> Option<Status> {
    let d = lookup(api_version, kind)?;
    match d.removed_in {
        Some(r) if minor >= r => Some(Status::Removed(d)),
        Some(r) if minor + window >= r || minor >= d.deprecated_in => Some(Status::Deprecated(d)),
        None if minor >= d.deprecated_in => Some(Status::Deprecated(d)),
        _ => None,
    }
}

/// The finding message for a status.
pub fn message(api_version: &str, kind: &str, status: Status) -> String {
    match status {
        Status::Removed(d) => format!(
            "{api_version} {kind} is no longer served since Kubernetes 1.{}: use {}",
            d.removed_in.unwrap_or(0),
            d.replacement
        ),
        Status::Deprecated(d) => match d.removed_in {
            Some(r) => format!(
                "{api_version} {kind} is deprecated since Kubernetes 1.{} and removed in 1.{r}: use {}",
                d.deprecated_in, d.replacement
            ),
            None => format!(
                "{api_version} {kind} is deprecated since Kubernetes 1.{}: use {}",
                d.deprecated_in, d.replacement
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert!(matches!(
            status("policy/v1beta1", "PodDisruptionBudget", 29, 2),
            Some(Status::Removed(_))
        ));
        assert!(matches!(
            status("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 2),
            Some(Status::Deprecated(_))
        ));
        assert!(matches!(
            status("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32, 2),
            Some(Status::Removed(_))
        ));
        assert!(matches!(
            status("apps/v1beta2", "Deployment", 29, 2),
            Some(Status::Removed(_))
        ));
        assert_eq!(status("apps/v1", "Deployment", 29, 2), None);
        assert_eq!(status("v1", "Endpoints", 32, 2), None);
        assert!(matches!(
            status("v1", "Endpoints", 33, 2),
            Some(Status::Deprecated(_))
        ));
        assert_eq!(
            message(
                "batch/v1beta1",
                "CronJob",
                status("batch/v1beta1", "CronJob", 29, 2).unwrap()
            ),
            "batch/v1beta1 CronJob is no longer served since Kubernetes 1.25: use batch/v1"
        );
    }

    #[test]
    fn every_entry_is_consistent() {
        for d in TABLE {
            if let Some(r) = d.removed_in {
                assert!(d.deprecated_in < r, "{d:?}");
            }
            assert!(!d.replacement.is_empty());
        }
    }
}
