"""Settings, from the environment (`OPENASO_*`); built by get_settings(), never at import."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENASO_")

    database_url: str = "sqlite:///openaso.db"


def get_settings() -> Settings:
    return Settings()
