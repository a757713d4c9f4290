"""Settings, from the environment (`OPENASO_*`); built by get_settings(), never at import."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENASO_")

    database_url: str = "sqlite:///openaso.db"
    # Who we are in X12 envelopes (ISA05/ISA06, GS02) on the 999s, TA1s and 835s we send.
    x12_qualifier: str = "ZZ"
    x12_id: str = "OPENASO"


def get_settings() -> Settings:
    return Settings()
