//! Files kept in the database in numbered chunks (`stored_file_chunk`): written in
//! one transaction chunk by chunk, read back one chunk at a time, so a file is never
//! held whole in memory on either side.

use crate::entities::stored_file_chunk;
use crate::{Db, DbError};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};

/// A file being written: nothing is visible to anyone before [`FileWriter::commit`],
/// and a writer dropped without it leaves nothing behind.
pub struct FileWriter {
    txn: DatabaseTransaction,
    storage_name: String,
    next_seq: i32,
}

impl FileWriter {
    /// Appends the next chunk.
    pub async fn write_chunk(&mut self, bytes: Vec<u8>) -> Result<(), DbError> {
        stored_file_chunk::Entity::insert(stored_file_chunk::ActiveModel {
            storage_name: Set(self.storage_name.clone()),
            seq: Set(self.next_seq),
            bytes: Set(bytes),
        })
        .exec_without_returning(&self.txn)
        .await?;
        self.next_seq += 1;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), DbError> {
        Ok(self.txn.commit().await?)
    }
}

impl Db {
    /// Starts writing a file under `storage_name` (a name not used before).
    pub async fn write_stored_file(&self, storage_name: &str) -> Result<FileWriter, DbError> {
        Ok(FileWriter {
            txn: self.conn.begin().await?,
            storage_name: storage_name.to_owned(),
            next_seq: 0,
        })
    }

    /// Chunk `seq` (from 0) of a stored file; `None` past its end or for an unknown
    /// file.
    pub async fn stored_file_chunk(
        &self,
        storage_name: &str,
        seq: i32,
    ) -> Result<Option<Vec<u8>>, DbError> {
        Ok(
            stored_file_chunk::Entity::find_by_id((storage_name.to_owned(), seq))
                .one(&self.read)
                .await?
                .map(|c| c.bytes),
        )
    }

    /// Whether any chunk of the file exists.
    pub async fn stored_file_exists(&self, storage_name: &str) -> Result<bool, DbError> {
        Ok(stored_file_chunk::Entity::find()
            .select_only()
            .column(stored_file_chunk::Column::Seq)
            .filter(stored_file_chunk::Column::StorageName.eq(storage_name))
            .into_tuple::<i32>()
            .one(&self.read)
            .await?
            .is_some())
    }

    /// Removes files whose rows were never written.
    pub async fn delete_stored_files(&self, storage_names: &[String]) -> Result<(), DbError> {
        if storage_names.is_empty() {
            return Ok(());
        }
        stored_file_chunk::Entity::delete_many()
            .filter(stored_file_chunk::Column::StorageName.is_in(storage_names.iter().cloned()))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// The names of every stored file (for checks and tests: the table is not
    /// expected to be small, so this is not for request paths).
    pub async fn stored_file_names(&self) -> Result<Vec<String>, DbError> {
        Ok(stored_file_chunk::Entity::find()
            .select_only()
            .column(stored_file_chunk::Column::StorageName)
            .distinct()
            .into_tuple::<String>()
            .all(&self.read)
            .await?)
    }
}
