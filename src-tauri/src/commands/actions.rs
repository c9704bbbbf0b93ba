//! Actions on one user: status, delete, password, add, metadata. Each goes to the host
//! first; core then updates the cached row.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use gatehouse_command::command;
use gatehouse_core::Sensitive;
use gatehouse_types::{
    AddUser, ApiError, DeleteUser, ErrorCode, GeneratePassword, Metadata, PasswordReset,
    QueryUserMetadata, ResetPassword, SetUserStatus, UpdateMetadata,
};
use tauri::State;

#[command]
pub async fn set_user_status(
    req: SetUserStatus,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .set_user_status(&req.app.app_id, &req.user_id, req.active)
        .await?;
    Ok(())
}

#[command]
pub async fn delete_user(req: DeleteUser, state: State<'_, AppState>) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection.delete_user(&req.app.app_id, &req.handle).await?;
    Ok(())
}

#[command]
pub async fn reset_password(
    req: ResetPassword,
    state: State<'_, AppState>,
) -> Result<PasswordReset, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let typed = req
        .password
        .map(|password| Sensitive::new(password.into_inner()));
    let password = connection
        .reset_password(&req.app.app_id, &req.user_id, typed)
        .await?;
    Ok(PasswordReset {
        password: password.into_inner(),
    })
}

#[command]
pub async fn generate_password(req: GeneratePassword) -> Result<PasswordReset, Failure> {
    let GeneratePassword {} = req;
    let password = gatehouse_core::generate_password()?;
    Ok(PasswordReset { password })
}

#[command]
pub async fn add_user(req: AddUser, state: State<'_, AppState>) -> Result<(), Failure> {
    let meta_data = gatehouse_core::parse_metadata(&req.meta_data)?;
    let connection = state.connect(&req.app.host_id).await?;
    let password = Sensitive::new(req.password.into_inner());
    connection
        .add_user(&req.app.app_id, &req.handle, &password, Some(meta_data))
        .await?;
    Ok(())
}

#[command]
pub async fn query_user_metadata(
    req: QueryUserMetadata,
    state: State<'_, AppState>,
) -> Result<Metadata, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let row = connection
        .cached_user(&req.app.app_id, &req.user_id)
        .await?;
    let row = row.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "This user is no longer in the cache; sync the app.",
        )
    })?;
    Ok(convert::metadata(row))
}

#[command]
pub async fn update_metadata(
    req: UpdateMetadata,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    let meta_data = gatehouse_core::parse_metadata(&req.json)?;
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .update_metadata(&req.app.app_id, &req.handle, meta_data)
        .await
        .map_err(Failure::from)
}

#[command]
pub async fn query_deleted_users(
    req: gatehouse_types::QueryDeletedUsers,
    state: State<'_, AppState>,
) -> Result<gatehouse_types::DeletedUsers, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let deleted = connection.deleted_users(&req.app.app_id).await?;
    Ok(gatehouse_types::DeletedUsers {
        rows: deleted.into_iter().map(convert::deleted_user).collect(),
        not_restored: gatehouse_core::recycle::NOT_RESTORED.to_owned(),
    })
}

#[command]
pub async fn restore_user(
    req: gatehouse_types::RestoreUser,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .restore_user(&req.app.app_id, &req.handle)
        .await?;
    Ok(())
}
