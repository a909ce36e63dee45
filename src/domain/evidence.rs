//! Evidence files (佐证材料): which files a report may carry, told by their content and not
//! only by their name, and how large they may be.

use super::error::Problem;
use serde::{Deserialize, Serialize};

/// Size limits of evidence uploads, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLimits {
    /// Largest single file.
    pub file_max: u64,
    /// Largest total of one report's files.
    pub report_max: u64,
}

const MIB: u64 = 1024 * 1024;

impl Default for FileLimits {
    /// 20 MB per file, 50 MB per report.
    fn default() -> Self {
        Self {
            file_max: 20 * MIB,
            report_max: 50 * MIB,
        }
    }
}

impl FileLimits {
    /// `bytes` in whole megabytes, rounded up (as limits are announced).
    pub fn megabytes(bytes: u64) -> u32 {
        u32::try_from(bytes.div_ceil(MIB)).unwrap_or(u32::MAX)
    }
}

/// Most files one report may carry.
pub const FILES_MAX: u32 = 20;
/// Longest file name kept, in characters.
pub const FILE_NAME_MAX: u32 = 100;

/// One accepted kind of file: its extensions, the content type it is served with, and the
/// types content sniffing may report for it. (WPS's own formats are OLE2 compound files like
/// the old Office ones; some Office files sniff only as a zip or a compound file.)
struct Kind {
    extensions: &'static [&'static str],
    content_type: &'static str,
    sniffed: &'static [&'static str],
}

const OLE: &str = "application/x-ole-storage";
const ZIP: &str = "application/zip";

const KINDS: &[Kind] = &[
    Kind {
        extensions: &["jpg", "jpeg"],
        content_type: "image/jpeg",
        sniffed: &["image/jpeg"],
    },
    Kind {
        extensions: &["png"],
        content_type: "image/png",
        sniffed: &["image/png"],
    },
    Kind {
        extensions: &["gif"],
        content_type: "image/gif",
        sniffed: &["image/gif"],
    },
    Kind {
        extensions: &["webp"],
        content_type: "image/webp",
        sniffed: &["image/webp"],
    },
    Kind {
        extensions: &["heic", "heif"],
        content_type: "image/heif",
        sniffed: &["image/heif"],
    },
    Kind {
        extensions: &["pdf"],
        content_type: "application/pdf",
        sniffed: &["application/pdf"],
    },
    Kind {
        extensions: &["doc", "wps"],
        content_type: "application/msword",
        sniffed: &["application/msword", OLE],
    },
    Kind {
        extensions: &["xls", "et"],
        content_type: "application/vnd.ms-excel",
        sniffed: &["application/vnd.ms-excel", OLE],
    },
    Kind {
        extensions: &["ppt", "dps"],
        content_type: "application/vnd.ms-powerpoint",
        sniffed: &["application/vnd.ms-powerpoint", OLE],
    },
    Kind {
        extensions: &["docx"],
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        sniffed: &[
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ZIP,
        ],
    },
    Kind {
        extensions: &["xlsx"],
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        sniffed: &[
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ZIP,
        ],
    },
    Kind {
        extensions: &["pptx"],
        content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        sniffed: &[
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ZIP,
        ],
    },
    Kind {
        extensions: &["odt", "ods", "odp"],
        content_type: "application/vnd.oasis.opendocument",
        sniffed: &[
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
            ZIP,
        ],
    },
    Kind {
        // 版式文档 (GB/T 33190), a zip package.
        extensions: &["ofd"],
        content_type: "application/ofd",
        sniffed: &[ZIP],
    },
];

/// The extensions accepted, for the form's `accept` attribute and the error message.
pub fn accepted_extensions() -> impl Iterator<Item = &'static str> {
    KINDS.iter().flat_map(|k| k.extensions.iter().copied())
}

/// A checked evidence file: a safe name and the content type it is served with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedFile {
    pub name: String,
    pub content_type: String,
}

/// Checks one uploaded file: its name (the last path component, without control characters,
/// at most [`FILE_NAME_MAX`] characters), its size, an accepted extension, and content that is
/// what the extension says (`sniffed` is the type content sniffing found, if any).
pub fn check_file(
    raw_name: &str,
    size: u64,
    sniffed: Option<&str>,
    limits: FileLimits,
) -> Result<AcceptedFile, Problem> {
    let name = safe_name(raw_name)?;
    if size == 0 {
        return Err(Problem::EmptyFile);
    }
    if size > limits.file_max {
        return Err(Problem::FileTooLarge {
            max_mb: FileLimits::megabytes(limits.file_max),
        });
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|k| k.extensions.contains(&extension.as_str()))
        .ok_or(Problem::FileTypeNotAllowed)?;
    if !sniffed.is_some_and(|s| kind.sniffed.contains(&s)) {
        return Err(Problem::FileTypeMismatch);
    }
    Ok(AcceptedFile {
        name,
        content_type: kind.content_type.to_owned(),
    })
}

/// Checks the total size of one report's files.
pub fn check_total(total: u64, count: usize, limits: FileLimits) -> Result<(), Problem> {
    if count > FILES_MAX as usize {
        return Err(Problem::TooMany { max: FILES_MAX });
    }
    if total > limits.report_max {
        return Err(Problem::FilesTooLarge {
            max_mb: FileLimits::megabytes(limits.report_max),
        });
    }
    Ok(())
}

/// The last component of an uploaded name (browsers on Windows may send a whole path), without
/// control characters or quotes, trimmed.
fn safe_name(raw: &str) -> Result<String, Problem> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .collect();
    let name = name.trim().trim_start_matches('.').trim();
    if name.is_empty() {
        return Err(Problem::Required);
    }
    if name.chars().count() > FILE_NAME_MAX as usize {
        return Err(Problem::TooLong { max: FILE_NAME_MAX });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: Option<&str> = Some("application/pdf");

    fn check(name: &str, size: u64, sniffed: Option<&str>) -> Result<AcceptedFile, Problem> {
        check_file(name, size, sniffed, FileLimits::default())
    }

    #[test]
    fn a_pdf_named_pdf_is_accepted_with_its_type() {
        let file = check("会议纪要.PDF", 1000, PDF).expect("accepted");
        assert_eq!(file.name, "会议纪要.PDF");
        assert_eq!(file.content_type, "application/pdf");
    }

    #[test]
    fn a_program_renamed_pdf_is_refused() {
        let exe = Some("application/vnd.microsoft.portable-executable");
        assert_eq!(check("总结.pdf", 1000, exe), Err(Problem::FileTypeMismatch));
        assert_eq!(
            check("总结.pdf", 1000, None),
            Err(Problem::FileTypeMismatch)
        );
        assert_eq!(
            check("setup.exe", 1000, exe),
            Err(Problem::FileTypeNotAllowed)
        );
        assert_eq!(
            check("无扩展名", 1000, PDF),
            Err(Problem::FileTypeNotAllowed)
        );
    }

    #[test]
    fn wps_and_office_files_sniffed_as_containers_pass() {
        assert!(check("台账.et", 10, Some(OLE)).is_ok());
        assert!(check("方案.wps", 10, Some(OLE)).is_ok());
        assert!(check("方案.docx", 10, Some(ZIP)).is_ok());
        assert!(check("发票.ofd", 10, Some(ZIP)).is_ok());
        // A zip is not a PDF, an image or an old Word file.
        assert_eq!(
            check("方案.doc", 10, Some(ZIP)),
            Err(Problem::FileTypeMismatch)
        );
        assert_eq!(
            check("照片.jpg", 10, Some(ZIP)),
            Err(Problem::FileTypeMismatch)
        );
    }

    #[test]
    fn sizes_are_limited_per_file_and_per_report() {
        let limits = FileLimits::default();
        assert!(check("a.pdf", 20 * MIB, PDF).is_ok());
        assert_eq!(
            check("a.pdf", 20 * MIB + 1, PDF),
            Err(Problem::FileTooLarge { max_mb: 20 })
        );
        assert_eq!(check("a.pdf", 0, PDF), Err(Problem::EmptyFile));
        assert_eq!(check_total(50 * MIB, 3, limits), Ok(()));
        assert_eq!(
            check_total(50 * MIB + 1, 3, limits),
            Err(Problem::FilesTooLarge { max_mb: 50 })
        );
        assert_eq!(
            check_total(10, 21, limits),
            Err(Problem::TooMany { max: FILES_MAX })
        );
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        let name = |raw: &str| check(raw, 1, PDF).map(|f| f.name);
        assert_eq!(name("C:\\Users\\x\\报告.pdf"), Ok("报告.pdf".into()));
        assert_eq!(name("../../etc/报告.pdf"), Ok("报告.pdf".into()));
        assert_eq!(name("a\u{0}\r\n\"b\".pdf"), Ok("ab.pdf".into()));
        assert_eq!(name("  "), Err(Problem::Required));
        assert_eq!(name("../"), Err(Problem::Required));
        assert_eq!(
            name(&format!("{}.pdf", "字".repeat(100))),
            Err(Problem::TooLong { max: 100 })
        );
    }
}
