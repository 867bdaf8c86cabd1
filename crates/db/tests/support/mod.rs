//! A fresh migrated database per test: SQLite in a folder of its own, or a new
//! PostgreSQL database when `SAMRAD_TEST_DATABASE_URL` names a server the test user
//! may create databases on.

#![allow(dead_code)]

use db::Db;

/// A migrated database of its own, and the folder to remove afterwards.
pub async fn fresh_db() -> (Db, Option<std::path::PathBuf>) {
    let (db, _, dir) = fresh_db_url().await;
    (db, dir)
}

/// [`fresh_db`] with its URL, for tests that open more connections to it.
pub async fn fresh_db_url() -> (Db, String, Option<std::path::PathBuf>) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match std::env::var("SAMRAD_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = Db::connect(&admin_url).await.expect("PostgreSQL reachable");
            // Named like the end-to-end databases, so CI drops it afterwards.
            let name = format!("samrad_test_db_{id}");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            admin.close().await.expect("close");
            let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /<database>");
            let url = format!("{base}/{name}");
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await.expect("migrate");
            (db, url, None)
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("samrad-db-test-{id}"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.join("samrad.db").display());
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await.expect("migrate");
            (db, url, Some(dir))
        }
    }
}
