//! Bytes written now and read back later, in memory up to a bound and in a temporary file
//! past it: the JSON output writes its diagnostics after the list of files, so it keeps them
//! aside until the last file is written, without holding them all in memory.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

/// The most bytes a spool keeps in memory before it moves them to a temporary file.
const IN_MEMORY: usize = 4 << 20;

/// Bytes kept for later.
#[derive(Debug)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    limit: usize,
}

impl Default for Spool {
    fn default() -> Self {
        Self::with_limit(IN_MEMORY)
    }
}

impl Spool {
    /// A spool that moves to a temporary file past `limit` bytes.
    #[must_use]
    pub const fn with_limit(limit: usize) -> Self {
        Self {
            memory: Vec::new(),
            file: None,
            limit,
        }
    }

    /// Whether nothing was written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.memory.is_empty() && self.file.is_none()
    }

    /// Writes everything kept to `out`, in the order it was written.
    ///
    /// # Errors
    /// Errors reading the temporary file back or writing to `out`.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self.file {
            None => out.write_all(&self.memory),
            Some(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.seek(SeekFrom::Start(0))?;
                io::copy(&mut io::BufReader::new(file), out)?;
                Ok(())
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(file) = &mut self.file {
            return file.write(buf);
        }
        if self.memory.len() + buf.len() <= self.limit {
            self.memory.extend_from_slice(buf);
            return Ok(buf.len());
        }
        // An unnamed file, removed by the system when it is closed.
        let mut file = BufWriter::new(tempfile::tempfile()?);
        file.write_all(&self.memory)?;
        self.memory = Vec::new();
        let n = file.write(buf)?;
        self.file = Some(file);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_in_order_from_memory_and_from_a_file() {
        for limit in [0, 5, 1 << 20] {
            let mut spool = Spool::with_limit(limit);
            assert!(spool.is_empty());
            for part in ["one ", "two ", "three"] {
                spool.write_all(part.as_bytes()).expect("write");
            }
            assert!(!spool.is_empty());
            let mut out = Vec::new();
            spool.copy_to(&mut out).expect("copy");
            assert_eq!(out, b"one two three", "limit {limit}");
        }
    }
}
