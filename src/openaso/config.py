"""Settings, from the environment (`OPENASO_*`); built by get_settings(), never at import."""

import secrets

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENASO_")

    database_url: str = "sqlite:///openaso.db"
    # Who we are in X12 envelopes (ISA05/ISA06, GS02) on the 999s, TA1s and 835s we send.
    x12_qualifier: str = "ZZ"
    x12_id: str = "OPENASO"
    # The plan as the 835s name it (N1*PR, TRN03, PER*BL): set these for a real sponsor.
    payer_name: str = "OPENASO BENEFIT PLAN"
    payer_id: str = "1000000000"  # "1" followed by the payer's EIN
    payer_street: str = "1 PLAN WAY"
    payer_city: str = "HARRISBURG"
    payer_state: str = "PA"
    payer_postal_code: str = "17101"
    payer_contact: str = "EDI SUPPORT"
    payer_phone: str = "8005550100"
    # Keys large claimants in experience reports (HMAC of the member id); keep it secret.
    claimant_secret: str = ""
    # The web app: `development` signs sessions with a key made per process when none is set
    # (everyone is signed out on restart); anywhere else a secret key of 32+ characters is
    # required, and session cookies are sent over HTTPS only.
    environment: str = "development"
    secret_key: str = ""

    @model_validator(mode="after")
    def _secret_outside_development(self) -> "Settings":
        if self.environment != "development" and len(self.secret_key) < 32:
            raise ValueError(
                f"OPENASO_SECRET_KEY must be set (32+ characters) when OPENASO_ENVIRONMENT"
                f" is {self.environment!r}"
            )
        if not self.secret_key:
            self.secret_key = secrets.token_urlsafe(32)
        return self


def get_settings() -> Settings:
    return Settings()
