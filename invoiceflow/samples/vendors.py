"""Issuers and customers of sample documents; every name, address and id is made up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vendor:
    """One issuer: how it prints itself, what it sells and how it numbers documents.

    `number_pattern` draws invoice numbers: `#` is a digit, `A` an upper-case
    letter, `{Y}` the year of issue; everything else is printed as is.
    """

    key: str
    name: str
    address: tuple[str, ...]
    tax_label: str
    tax_id: str
    locale: str
    catalog: str
    number_pattern: str
    platform: bool = False
    order_pattern: str = ""
    tax_rates: tuple[str, ...] = ("0",)
    website: str = ""


# The delivery platforms are named because classification must recognise them,
# but every address and tax id below is made up. US EINs start with 00, a prefix
# the IRS never assigns; CNPJ and NIT check digits are valid so that extractors
# which verify them accept the samples.
PLATFORMS: tuple[Vendor, ...] = (
    Vendor(
        key="ubereats",
        name="Uber Eats",
        address=("450 Harbor View Ave, Suite 900", "San Francisco, CA 94107"),
        tax_label="EIN",
        tax_id="00-4718265",
        locale="en-US",
        catalog="platform_fees",
        number_pattern="UE-{Y}-######",
        platform=True,
        order_pattern="AA#A#",
        tax_rates=("0.08625", "0.0875", "0.07"),
    ),
    Vendor(
        key="doordash",
        name="DoorDash",
        address=("88 Tidewater Street, Floor 12", "San Francisco, CA 94105"),
        tax_label="EIN",
        tax_id="00-6342907",
        locale="en-US",
        catalog="platform_fees",
        number_pattern="DD########",
        platform=True,
        order_pattern="######",
        tax_rates=("0.0825", "0.06", "0.045"),
    ),
    Vendor(
        key="grubhub",
        name="Grubhub",
        address=("2210 Lakeshore Commons", "Chicago, IL 60611"),
        tax_label="EIN",
        tax_id="00-2950418",
        locale="en-US",
        catalog="platform_fees",
        number_pattern="GH-{Y}-#####",
        platform=True,
        order_pattern="#########",
        tax_rates=("0.1025", "0.08875"),
    ),
    Vendor(
        key="ifood",
        name="iFood",
        address=("Av. das Palmeiras Reais, 1840 - 7º andar", "Osasco - SP, 06210-300"),
        tax_label="CNPJ",
        tax_id="00.314.702/0001-40",
        locale="pt-BR",
        catalog="platform_fees",
        number_pattern="000.###.###",
        platform=True,
        order_pattern="####",
        tax_rates=("0.05", "0.02"),
    ),
    Vendor(
        key="rappi",
        name="Rappi",
        address=(
            "Av. Paseo de los Fresnos 412, Piso 6",
            "Col. Lomas Altas, CDMX, 11950",
        ),
        tax_label="RFC",
        tax_id="RAP170518QX2",
        locale="es-MX",
        catalog="platform_fees",
        number_pattern="RP-A######",
        platform=True,
        order_pattern="##########",
        tax_rates=("0.16",),
    ),
)

GENERIC_VENDORS: tuple[Vendor, ...] = (
    Vendor(
        key="acme-office-supply",
        name="Acme Office Supply Co.",
        address=("1742 Commerce Park Drive", "Columbus, OH 43219"),
        tax_label="EIN",
        tax_id="00-3817442",
        locale="en-US",
        catalog="office",
        number_pattern="INV-{Y}-#####",
        tax_rates=("0.0575", "0.0725"),
        website="www.acme-office-supply.example",
    ),
    Vendor(
        key="bluefin-freight",
        name="Bluefin Freight Lines LLC",
        address=("9 Terminal Road, Dock 4", "Savannah, GA 31408"),
        tax_label="EIN",
        tax_id="00-5529031",
        locale="en-US",
        catalog="freight",
        number_pattern="BFL######",
        tax_rates=("0",),
        website="bluefin-freight.example",
    ),
    Vendor(
        key="evergreen-janitorial",
        name="Evergreen Janitorial Services",
        address=("315 Alder Court", "Portland, OR 97214"),
        tax_label="EIN",
        tax_id="00-7240156",
        locale="en-US",
        catalog="cleaning",
        number_pattern="EJS-####",
        tax_rates=("0",),
        website="evergreen-janitorial.example",
    ),
    Vendor(
        key="brilho-limpeza",
        name="Brilho Limpeza e Conservação Ltda.",
        address=("Rua dos Jequitibás, 287 - Sala 3", "Campinas - SP, 13087-510"),
        tax_label="CNPJ",
        tax_id="00.482.913/0001-91",
        locale="pt-BR",
        catalog="cleaning",
        number_pattern="000.###.###",
        tax_rates=("0.05", "0.02", "0.03"),
    ),
    Vendor(
        key="granito-tecnologia",
        name="Granito Tecnologia e Informática Ltda.",
        address=("Av. Beira-Mar Norte, 3310", "Florianópolis - SC, 88015-702"),
        tax_label="CNPJ",
        tax_id="00.927.604/0001-88",
        locale="pt-BR",
        catalog="it_hardware",
        number_pattern="######",
        tax_rates=("0.17", "0.12"),
    ),
    Vendor(
        key="nimbo-software",
        name="Nimbo Software S.A. de C.V.",
        address=("Blvd. Puerta de Hierro 5210, Int. 802", "Zapopan, Jal., 45116"),
        tax_label="RFC",
        tax_id="NSO180412AB3",
        locale="es-MX",
        catalog="software",
        number_pattern="A-#####",
        tax_rates=("0.16",),
    ),
    Vendor(
        key="transportes-andinos",
        name="Transportes Andinos S.A.S.",
        address=("Calle 17 # 68D-41, Bodega 12", "Bogotá D.C., Colombia"),
        tax_label="NIT",
        tax_id="900.412.377-4",
        locale="es-CO",
        catalog="freight",
        number_pattern="FE-######",
        tax_rates=("0.19",),
    ),
    Vendor(
        key="papeleria-del-sol",
        name="Papelería del Sol S.L.",
        address=("C/ de la Almendra, 14, Local 2", "41004 Sevilla, España"),
        tax_label="NIF",
        tax_id="B90412736",
        locale="es-ES",
        catalog="office",
        number_pattern="F{Y}/####",
        tax_rates=("0.21",),
    ),
    Vendor(
        key="quanta-labs",
        name="Quanta Labs Software, Inc.",
        address=("600 Congress Ave, Suite 1450", "Austin, TX 78701"),
        tax_label="EIN",
        tax_id="00-8163570",
        locale="en-US",
        catalog="software",
        number_pattern="QL-{Y}-####",
        tax_rates=("0", "0.0625"),
        website="quantalabs.example",
    ),
)

VENDORS: dict[str, Vendor] = {v.key: v for v in PLATFORMS + GENERIC_VENDORS}

# Customers per locale: (name, address lines). Businesses receive invoices,
# restaurants receive platform invoices and statements, people get receipts.
BUSINESS_CUSTOMERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "en-US": (
        ("Harborview Dental Group", ("58 Wharf Street", "Baltimore, MD 21231")),
        (
            "Pinecrest Realty Partners",
            ("1200 Ridge Road, Suite 210", "Boise, ID 83702"),
        ),
        ("Lumen Architecture Studio", ("77 Canal Street", "Providence, RI 02903")),
        ("Redwood Valley School District", ("400 Orchard Lane", "Ukiah, CA 95482")),
    ),
    "pt-BR": (
        (
            "Clínica Sorriso Azul Ltda.",
            ("Rua Tamoios, 512", "Belo Horizonte - MG, 30120-050"),
        ),
        (
            "Construtora Horizonte Verde S.A.",
            ("Av. Paulista, 2300 - 14º andar", "São Paulo - SP, 01310-300"),
        ),
        (
            "Escola Pequeno Príncipe",
            ("Rua das Acácias, 90", "Curitiba - PR, 80420-170"),
        ),
    ),
    "es-MX": (
        (
            "Grupo Ferretero La Llave S.A. de C.V.",
            ("Av. Vallarta 3040", "Guadalajara, Jal., 44690"),
        ),
        (
            "Consultores Alba y Asociados S.C.",
            ("Río Lerma 221, Col. Cuauhtémoc", "CDMX, 06500"),
        ),
    ),
    "es-CO": (
        (
            "Distribuidora El Cafetal S.A.S.",
            ("Carrera 43A # 1-50", "Medellín, Antioquia"),
        ),
        ("Hotel Mirador del Caribe", ("Av. San Martín # 8-112", "Cartagena, Bolívar")),
    ),
    "es-ES": (
        (
            "Asesoría Fiscal Giralda S.L.",
            ("Av. de la Constitución, 31", "41001 Sevilla"),
        ),
        ("Colegio San Telmo", ("C/ Larios, 7", "29005 Málaga")),
    ),
}

RESTAURANTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "en-US": (
        ("Bayside Burger Co.", ("2145 Mission Street", "San Francisco, CA 94110")),
        ("Golden Lotus Noodle House", ("88 West Randolph", "Chicago, IL 60601")),
        ("Mama Rosa's Pizzeria", ("512 Bleecker Lane", "Hoboken, NJ 07030")),
        ("Taqueria El Faro", ("3301 24th Avenue", "Oakland, CA 94601")),
    ),
    "pt-BR": (
        (
            "Sabor da Vila Lanchonete",
            ("Rua Augusta, 1410", "São Paulo - SP, 01304-001"),
        ),
        ("Açaí da Praia", ("Av. Atlântica, 2780", "Rio de Janeiro - RJ, 22041-001")),
    ),
    "es-MX": (
        ("Taquería Los Compadres", ("Calle Durango 187, Col. Roma", "CDMX, 06700")),
        ("Cocina Doña Lupe", ("Av. Hidalgo 55, Centro", "Puebla, Pue., 72000")),
    ),
}

PEOPLE: dict[str, tuple[str, ...]] = {
    "en-US": ("Jordan Miller", "Priya Raman", "Marcus Bell", "Elena Park", "Sam Ortiz"),
    "pt-BR": ("Ana Beatriz Souza", "Carlos Henrique Lima", "Juliana Rocha"),
    "es-MX": ("María Fernanda López", "José Luis Ramírez", "Valeria Cruz"),
}
